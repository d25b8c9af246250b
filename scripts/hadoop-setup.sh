#!/usr/bin/env bash
# Hadoop for the hadoop runner's tests, with nothing installed system-wide but a JDK and Maven from Debian:
# hadoop-streaming and hadoop-client 3.3.4 and their dependencies, resolved from Maven Central by test/hadoop/pom.xml
# into ~/.cache/mllab-hadoop (once). Prints the directory of jars; the tests read MLLAB_HADOOP_LIB or that default.
set -euo pipefail
cd "$(dirname "$0")/.."
version=3.3.4
lib="${MLLAB_HADOOP_LIB:-$HOME/.cache/mllab-hadoop/hadoop-$version/lib}"
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
need=()
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  $sudo apt-get install -y -q "${need[@]}" >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${need[@]}" >/dev/null; }
fi
if [ ! -f "$lib/hadoop-streaming-$version.jar" ]; then
  mkdir -p "$lib"
  mvn -q -B -f test/hadoop/pom.xml -Dhadoop.version=$version dependency:copy-dependencies -DoutputDirectory="$lib" >&2
fi
echo "$lib"
