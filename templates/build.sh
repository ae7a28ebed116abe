#!/usr/bin/env bash
# Builds and stages both Flex Templates:
#   templates/build.sh                 shaded jars + `gcloud dataflow flex-template build` for ordering and writer
#   templates/build.sh --metadata      only regenerate templates/{ordering,writer}/metadata.json from the Options
#   templates/build.sh --print         print the gcloud commands without running anything
# Settings (environment): PROJECT (required), REGION (default us-central1),
#   BUCKET (default gs://$PROJECT-reverse-replication; template specs land in $BUCKET/templates/, where
#   `rr launch` looks by default), IMAGE_REPO (default $REGION-docker.pkg.dev/$PROJECT/reverse-replication),
#   TAG (default latest).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VERSION=0.1.0-SNAPSHOT
MODE="${1:-build}"

if [ "$MODE" = "--metadata" ]; then
  cd "$ROOT"
  mvn -B -q -pl templates -am process-classes -Pmetadata
  exit 0
fi

: "${PROJECT:?set PROJECT to the Google Cloud project}"
REGION="${REGION:-us-central1}"
BUCKET="${BUCKET:-gs://$PROJECT-reverse-replication}"
IMAGE_REPO="${IMAGE_REPO:-$REGION-docker.pkg.dev/$PROJECT/reverse-replication}"
TAG="${TAG:-latest}"

commands() {
  cat <<CMDS
gcloud dataflow flex-template build $BUCKET/templates/ordering.json --project=$PROJECT --image-gcr-path=$IMAGE_REPO/ordering:$TAG --sdk-language=JAVA --flex-template-base-image=JAVA17 --metadata-file=$HERE/ordering/metadata.json --jar=$HERE/target/templates-$VERSION-ordering.jar --env=FLEX_TEMPLATE_JAVA_MAIN_CLASS=dev.reverserepl.ordering.OrderingPipeline
gcloud dataflow flex-template build $BUCKET/templates/writer.json --project=$PROJECT --image-gcr-path=$IMAGE_REPO/writer:$TAG --sdk-language=JAVA --flex-template-base-image=JAVA17 --metadata-file=$HERE/writer/metadata.json --jar=$HERE/target/templates-$VERSION-writer.jar --env=FLEX_TEMPLATE_JAVA_MAIN_CLASS=dev.reverserepl.writer.WriterPipeline
CMDS
}

if [ "$MODE" = "--print" ]; then
  commands
  exit 0
fi

(cd "$ROOT" && mvn -B -q -pl templates -am package -Ptemplates -DskipTests)
commands | while read -r line; do
  echo "+ $line"
  eval "$line"
done
