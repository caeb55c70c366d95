package dev.shadowparity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code grpc:} block: descriptor files read and checked while the config is bound; errors name file, line, key. */
class GrpcConfigTest {

  @TempDir
  Path dir;

  private static ConfigException failure(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "parity.yaml"));
    assertThat(e).as("ConfigException for:%n%s", yaml).isNotNull();
    return e;
  }

  @Test
  void defaults() {
    GrpcConfig g = ConfigLoader.parse("rules: {}\n", "parity.yaml").grpc();
    assertThat(g.descriptors()).isEmpty();
    assertThat(g.reflection()).isTrue();
    assertThat(g.reflectionTimeout()).isEqualTo("2s");
    assertThat(g.maxMessages()).isEqualTo(GrpcConfig.DEFAULT_MAX_MESSAGES);
  }

  @Test
  void aDescriptorSetIsRead() throws Exception {
    Path pb = dir.resolve("a.pb");
    Files.write(pb, FileDescriptorSet.newBuilder().addFile(FileDescriptorProto.newBuilder().setName("a.proto")
        .setPackage("a").setSyntax("proto3")).build().toByteArray());
    GrpcConfig g = ConfigLoader.parse("grpc:\n  descriptors: [\"" + pb + "\"]\n", "parity.yaml").grpc();
    assertThat(g.descriptors()).containsExactly(pb.toString());
    assertThat(g.schemas().known("/a.B/C")).isNull();
  }

  @Test
  void aMissingFileNamesTheLineTheKeyAndTheFile() {
    String missing = dir.resolve("nope.pb").toString();
    ConfigException e = failure("rules: {}\ngrpc:\n  descriptors:\n    - \"" + missing + "\"\n");
    assertThat(e.getMessage()).startsWith("parity.yaml:4:").contains("grpc.descriptors[0]").contains(missing)
        .contains("no such file");
  }

  @Test
  void aFileThatIsNoDescriptorSetIsRefused() throws Exception {
    Path bad = dir.resolve("bad.pb");
    Files.writeString(bad, "this is text, not protobuf");
    ConfigException e = failure("grpc:\n  descriptors: [\"" + bad + "\"]\n");
    assertThat(e.getMessage()).contains("grpc.descriptors[0]").contains(bad.toString()).contains("not a descriptor set");
  }

  @Test
  void aMissingImportIsNamed() throws Exception {
    Path pb = dir.resolve("b.pb");
    Files.write(pb, FileDescriptorSet.newBuilder().addFile(FileDescriptorProto.newBuilder().setName("b.proto")
        .addDependency("shared/common.proto")).build().toByteArray());
    ConfigException e = failure("grpc:\n  descriptors: [\"" + pb + "\"]\n");
    assertThat(e.getMessage()).contains("grpc.descriptors[0]").contains("shared/common.proto").contains("--include_imports");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThat(failure("grpc:\n  max-messages: 0\n").getMessage()).contains("parity.yaml:2:").contains("grpc.max-messages");
    assertThat(failure("grpc:\n  reflection-timeout: soon\n").getMessage()).contains("grpc.reflection-timeout");
    // a comparison thread waits that long: bounded
    assertThat(failure("grpc:\n  reflection-timeout: 31s\n").getMessage()).contains("grpc.reflection-timeout")
        .contains("at most 30s");
    assertThat(ConfigLoader.parse("grpc:\n  reflection-timeout: 30s\n", "parity.yaml").grpc().reflectionTimeoutDuration())
        .isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(failure("grpc:\n  descriptor: [a.pb]\n").getMessage()).contains("unknown key 'descriptor'")
        .contains("descriptors");
  }

  @Test
  void grpcEndpointsTakeRules() {
    ParityConfig c = ConfigLoader.parse("endpoints:\n  \"grpc /shop.v1.Users/GetUser\":\n    ignore: [/user/visits]\n",
        "parity.yaml");
    assertThat(c.endpointRules()).containsKey("grpc /shop.v1.Users/GetUser");
  }
}
