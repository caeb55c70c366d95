package dev.shadowparity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreLocationTest {

  @Test
  void aPath_isAFile() {
    StoreLocation l = StoreLocation.parse("data/parity.db", Map.of("PGPASSWORD", "x"));
    assertThat(l.postgres()).isFalse();
    assertThat(l.file()).isEqualTo(Path.of("data/parity.db"));
    assertThat(l).hasToString("data/parity.db");
  }

  @Test
  void aPostgresUri_givesTheDriverItsPartsAndNeverShowsThePassword() {
    StoreLocation l = StoreLocation.parse("postgresql://parity:s%40cr%3At@db.internal:6543/evidence?sslmode=verify-full"
        + "&sslrootcert=/etc/ca.pem", Map.of());
    assertThat(l.postgres()).isTrue();
    assertThat(l.host()).isEqualTo("db.internal");
    assertThat(l.port()).isEqualTo(6543);
    assertThat(l.database()).isEqualTo("evidence");
    assertThat(l.user()).isEqualTo("parity");
    assertThat(l.password()).isEqualTo("s@cr:t");
    assertThat(l.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/evidence");
    assertThat(l.driverProperties("t")).containsEntry("password", "s@cr:t").containsEntry("sslmode", "verify-full")
        .containsEntry("sslrootcert", "/etc/ca.pem").containsEntry("user", "parity").containsKey("socketTimeout");
    assertThat(l.toString()).isEqualTo("postgresql://parity@db.internal:6543/evidence?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        .doesNotContain("s@cr:t").doesNotContain("s%40cr");
  }

  @Test
  void thePassword_fromPgpassword_whenTheUriHasNone_andTheUriWins() {
    assertThat(StoreLocation.parse("postgres://u@h/d", Map.of("PGPASSWORD", "envpw")).password()).isEqualTo("envpw");
    assertThat(StoreLocation.parse("postgresql://u:uripw@h/d", Map.of("PGPASSWORD", "envpw")).password()).isEqualTo("uripw");
    StoreLocation none = StoreLocation.parse("postgresql://h/d", Map.of());
    assertThat(none.password()).isNull();
    assertThat(none.user()).isNull();
    assertThat(none.port()).isEqualTo(5432);
    assertThat(none.driverProperties("t")).doesNotContainKey("password").doesNotContainKey("user");
  }

  @Test
  void malformedUris_sayWhatIsMissing_withoutEchoingAPassword() {
    assertThatThrownBy(() -> StoreLocation.parse("postgresql://u:pw@/d", Map.of())).hasMessageContaining("needs a host")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> StoreLocation.parse("postgresql://u:pw@h:5432", Map.of())).hasMessageContaining("needs a database")
        .hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> StoreLocation.parse("postgresql://h/d?sslmod=require", Map.of()))
        .hasMessageContaining("unknown parameter 'sslmod'");
    assertThatThrownBy(() -> StoreLocation.parse("mysql://h/d", Map.of())).hasMessageContaining("SQLite file or a postgresql:// URI");
    assertThatThrownBy(() -> StoreLocation.parse(" ", Map.of())).hasMessageContaining("empty");
  }

  @Test
  void parameters_takeTheDriversSpelling_soNoneIsSilentlyIgnored() {
    StoreLocation l = StoreLocation.parse("postgresql://h/d?channelbinding=require&application_name=tap"
        + "&connecttimeout=3&sslpassword=keypw", Map.of());
    assertThat(l.driverProperties("x")).containsEntry("channelBinding", "require").containsEntry("connectTimeout", "3")
        .doesNotContainKey("channelbinding");
    // the URI's application name wins over the default one
    assertThat(l.driverProperties("x").getProperty("ApplicationName")).isEqualTo("tap");
    assertThat(l.toString()).doesNotContain("keypw");
  }

  @Test
  void aMistypedUri_isNeverTakenForAFile_andComposeHostNamesWork() {
    assertThatThrownBy(() -> StoreLocation.parse("jdbc:postgresql://db:5432/parity", Map.of()))
        .hasMessageContaining("not a JDBC URL");
    assertThatThrownBy(() -> StoreLocation.parse("postgresql:/db/x", Map.of())).hasMessageContaining("postgresql://");
    assertThat(StoreLocation.parse("C:/data/parity.db", Map.of()).postgres()).isFalse();
    StoreLocation compose = StoreLocation.parse("postgresql://u:p@parity_db:5433/e", Map.of());
    assertThat(compose.host()).isEqualTo("parity_db");
    assertThat(compose.port()).isEqualTo(5433);
    assertThat(compose.user()).isEqualTo("u");
    assertThat(compose.password()).isEqualTo("p");
  }
}
