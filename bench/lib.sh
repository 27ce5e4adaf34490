# Shared by the benchmark scripts: JDK 25, compiled classes and the test classpath.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  JAVA_HOME=$(ls -d /usr/lib/jvm/temurin-25-jdk* 2>/dev/null | head -n 1)
fi
export JAVA_HOME

build_classpath() {
  echo "Building (tests skipped)..." >&2
  ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
  CLASSPATH="target/classes:target/test-classes:$(cat target/bench.classpath)"
}

run_java() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$CLASSPATH" "$@"
}
