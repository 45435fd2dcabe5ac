# Sourced by ./mvnw before anything else: makes JAVA_HOME point at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then `java` on the PATH, then the usual install folders.
# Fails with a message naming what to install when none is found.

fasthttp4j_java_feature() {  # prints the feature version (17, 21, 25...) of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

fasthttp4j_find_jdk() {
  for candidate in "${JAVA_HOME-}" \
      "$(command -v javac >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v javac)")")")" \
      /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-*-jdk* /usr/lib/jvm/java-2[1-9]-* \
      /usr/lib/jvm/jdk-2[1-9]* /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    feature=$(fasthttp4j_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

set +f   # mvnw runs with globbing off; the search below needs it
if FASTHTTP4J_JDK=$(fasthttp4j_find_jdk); then
  JAVA_HOME=$FASTHTTP4J_JDK
  export JAVA_HOME
else
  echo "fasthttp4j needs a JDK 21 or newer (25 recommended), and none was found." >&2
  echo "Looked at \$JAVA_HOME, the javac on the PATH and /usr/lib/jvm/*." >&2
  echo "Install one (for example: apt-get install temurin-25-jdk, or openjdk-21-jdk) or set JAVA_HOME to it." >&2
  exit 1
fi
set -f
