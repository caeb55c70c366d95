# syntax=docker/dockerfile:1
# The Shadow Parity image: the one jar on a Java 17 JRE, started with the launcher's JVM options for the tap.
#
#   docker build -t shadow-parity .
#
# Not built or run in this repository's CI (there is no container runtime there); cli's DeployFilesTest checks
# this file against the launcher (./parity), the root pom's modules and deploy/kubernetes/. See deploy/README.md.

# --- build: the same Maven build as ./parity, without compiling or running the tests ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Maven reads every module the root pom lists, even with -pl: bench is needed for its pom only.
COPY pom.xml ./
COPY comparator/ comparator/
COPY replay/ replay/
COPY cli/ cli/
COPY bench/pom.xml bench/
# cli bundles the demo's Python 2/3 pairs into the jar (cli/pom.xml).
COPY fixtures/pairs/ fixtures/pairs/
RUN --mount=type=cache,target=/root/.m2 mvn -B -Dmaven.test.skip=true -pl cli -am package

# --- runtime: a JRE and the jar, as a user that is not root ---
FROM eclipse-temurin:17-jre
RUN groupadd --gid 10001 parity \
 && useradd --uid 10001 --gid parity --no-create-home --home-dir /var/lib/parity --shell /usr/sbin/nologin parity \
 && mkdir -p /var/lib/parity && chown parity:parity /var/lib/parity
COPY --from=build /src/cli/target/parity.jar /app/parity.jar
# Class data sharing (AppCDS), as ./parity does: an archive of the classes a tap loads, written by a training run of
# the built-in demo (a real tap and real traffic on loopback, then exit) with this image's own java, since an archive
# maps only into the JVM that wrote it. Every start then maps it: the tap answers its first request sooner
# (bench/startup.sh). A JVM that cannot map it starts without it.
RUN java -XX:ArchiveClassesAtExit=/app/parity.jsa -XX:+UseSerialGC -Xmx384m -jar /app/parity.jar demo --exit \
      --listen 127.0.0.1:0 --admin 127.0.0.1:0 > /dev/null \
 && test -s /app/parity.jsa
# The working directory is where a tap without --store keeps ./parity.db.
WORKDIR /var/lib/parity
# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
# The launcher's options for `parity tap` (./parity; DeployFilesTest keeps the two equal). As with the
# launcher, PARITY_JAVA_OPTS replaces them: set it on a container that runs `gate` or `report` instead.
ENV PARITY_JAVA_OPTS="-XX:+UseSerialGC -Xms384m -Xmx384m -XX:FreqInlineSize=100 -XX:InlineSmallCode=1000"
# The usual proxy and admin ports. The tap's defaults are loopback (127.0.0.1:8080, 127.0.0.1:9090), which
# nothing outside the container reaches: pass --listen=0.0.0.0:8080 --admin=0.0.0.0:9090.
EXPOSE 8080 9090
# No HEALTHCHECK: Kubernetes ignores it (its probes ask GET /health on the admin port), the admin address is
# chosen by the arguments, and the same image runs one-shot commands (gate, report) that have no port.
# exec: java is PID 1 and gets SIGTERM itself, so the tap drains (--grace) before it exits.
# The JVM's own messages go to stderr, as with ./parity: stdout is the commands' output (JSON, reports).
ENTRYPOINT ["/bin/sh", "-c", "exec java -Xlog:disable -Xlog:all=warning:stderr -XX:+DisplayVMOutputToStderr -XX:SharedArchiveFile=/app/parity.jsa $PARITY_JAVA_OPTS -jar /app/parity.jar \"$@\"", "parity"]
CMD ["--help"]
