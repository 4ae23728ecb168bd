# Sourced (POSIX sh) by ./mvnw and ./yoo: finds a JDK 25 or newer and exports JAVA_HOME to it.
#
#   . "$dir/.mvn/find-jdk.sh" && yoo_find_jdk NAME || exit 1
#
# Order: $JAVA_HOME when it is 25+; else the `java` on PATH when it is 25+; else the newest 25+
# JDK under /usr/lib/jvm. On Debian 12 the default `java` is OpenJDK 17 and JAVA_HOME is usually
# unset, so without this Maven would start on 17 and die on .mvn/jvm.config. When none is found
# it prints ONE line (prefixed "NAME: ") saying what to install, and returns 1.
# YOO_JVM_DIR replaces /usr/lib/jvm (for the test of this script).

# The feature version (17, 25, 26...) of the JDK at $1, or nothing when $1 is no JDK (java and
# javac: Maven compiles). Reads $1/release (no JVM started); asks `java -version` without one.
yoo_jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _yj_v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" 2>/dev/null) || _yj_v=""
  [ -n "$_yj_v" ] || _yj_v=$("$1/bin/java" -version 2>&1 | sed -n '1s/^[^"]* version "\([^"]*\)".*/\1/p') || _yj_v=""
  case $_yj_v in 1.*) _yj_v=${_yj_v#1.} ;; esac  # 1.8.0_412 is Java 8
  _yj_v=${_yj_v%%[!0-9]*}
  [ -n "$_yj_v" ] && echo "$_yj_v"
}

yoo_jdk_name() {
  if [ -n "$1" ]; then echo "Java $1"; else echo "no JDK"; fi
}

yoo_find_jdk() {
  _yj_seen=""
  if [ -n "${JAVA_HOME-}" ]; then
    _yj_m=$(yoo_jdk_major "$JAVA_HOME") || _yj_m=""
    if [ "${_yj_m:-0}" -ge 25 ]; then
      export JAVA_HOME
      return 0
    fi
    _yj_seen="JAVA_HOME=$JAVA_HOME is $(yoo_jdk_name "$_yj_m")"
  fi
  _yj_java=$(command -v java 2>/dev/null) || _yj_java=""
  if [ -n "$_yj_java" ]; then
    # /usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/X/bin/java: the home is two up
    _yj_home=$(readlink -f "$_yj_java" 2>/dev/null) || _yj_home=""
    [ -z "$_yj_home" ] || _yj_home=$(dirname "$(dirname "$_yj_home")")
    _yj_m=$(yoo_jdk_major "$_yj_home") || _yj_m=""
    if [ "${_yj_m:-0}" -ge 25 ]; then
      JAVA_HOME=$_yj_home
      export JAVA_HOME
      return 0
    fi
    _yj_seen="${_yj_seen:+$_yj_seen, }java on PATH is $(yoo_jdk_name "$_yj_m") ($_yj_java)"
  fi
  _yj_best="" _yj_bestm=0
  for _yj_home in "${YOO_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$_yj_home" ] || continue
    _yj_m=$(yoo_jdk_major "$_yj_home") || continue
    if [ "$_yj_m" -ge 25 ] && [ "$_yj_m" -gt "$_yj_bestm" ]; then
      _yj_best=$_yj_home _yj_bestm=$_yj_m
    fi
  done
  if [ -n "$_yj_best" ]; then
    JAVA_HOME=$_yj_best
    export JAVA_HOME
    return 0
  fi
  echo "$1: needs a JDK 25 or newer and found none (${_yj_seen:-no JAVA_HOME, no java on PATH}, none in ${YOO_JVM_DIR:-/usr/lib/jvm}): install one, e.g. Temurin 25 (apt install temurin-25-jdk from https://packages.adoptium.net/artifactory/deb), or set JAVA_HOME to it" >&2
  return 1
}
