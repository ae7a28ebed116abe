#!/usr/bin/env bash
# Builds and stages both Flex Templates:
#   templates/build.sh --region=R            shaded jars, the bucket (when missing) and
#                                            `gcloud dataflow flex-template build` for ordering and writer
#   templates/build.sh --region=R --print    print the gcloud commands without running anything
#   templates/build.sh --metadata            only regenerate templates/{ordering,writer}/metadata.json
# The region is the one `rr launch -dataflowRegion=R` will use: the image repository and the bucket are made
# there. Settings (environment): PROJECT (required), REGION (instead of --region), BUCKET (default
# gs://$PROJECT-reverse-replication; template specs land in $BUCKET/templates/, where `rr launch` looks by
# default), IMAGE_REPO (default $REGION-docker.pkg.dev/$PROJECT/reverse-replication), TAG (default latest).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VERSION=0.1.0-SNAPSHOT
MODE=build
for arg in "$@"; do
  case "$arg" in
    --region=*) REGION="${arg#--region=}" ;;
    --print) MODE=print ;;
    --metadata) MODE=metadata ;;
    *) echo "build.sh: unknown argument '$arg' (use --region=R, --print, --metadata)" >&2; exit 2 ;;
  esac
done

if [ "$MODE" = metadata ]; then
  cd "$ROOT"
  mvn -B -q -pl templates -am process-classes -Pmetadata
  exit 0
fi

: "${PROJECT:?set PROJECT to the Google Cloud project}"
if [ -z "${REGION:-}" ]; then
  echo "build.sh: give the launch region: --region=R (the -dataflowRegion of rr launch) or REGION=R" >&2
  exit 2
fi
BUCKET="${BUCKET:-gs://$PROJECT-reverse-replication}"
IMAGE_REPO="${IMAGE_REPO:-$REGION-docker.pkg.dev/$PROJECT/reverse-replication}"
TAG="${TAG:-latest}"

commands() {
  cat <<CMDS
gcloud storage buckets describe $BUCKET --project=$PROJECT >/dev/null 2>&1 || gcloud storage buckets create $BUCKET --project=$PROJECT --location=$REGION
gcloud dataflow flex-template build $BUCKET/templates/ordering.json --project=$PROJECT --image-gcr-path=$IMAGE_REPO/ordering:$TAG --sdk-language=JAVA --flex-template-base-image=JAVA17 --metadata-file=$HERE/ordering/metadata.json --jar=$HERE/target/templates-$VERSION-ordering.jar --env=FLEX_TEMPLATE_JAVA_MAIN_CLASS=dev.reverserepl.ordering.OrderingPipeline
gcloud dataflow flex-template build $BUCKET/templates/writer.json --project=$PROJECT --image-gcr-path=$IMAGE_REPO/writer:$TAG --sdk-language=JAVA --flex-template-base-image=JAVA17 --metadata-file=$HERE/writer/metadata.json --jar=$HERE/target/templates-$VERSION-writer.jar --env=FLEX_TEMPLATE_JAVA_MAIN_CLASS=dev.reverserepl.writer.WriterPipeline
CMDS
}

if [ "$MODE" = print ]; then
  commands
  exit 0
fi

# verify: builds the shaded jars and runs TemplateJarsIT on them
(cd "$ROOT" && mvn -B -q -pl templates -am verify -Ptemplates -Dtest='Template*' -Dsurefire.failIfNoSpecifiedTests=false)
commands | while read -r line; do
  echo "+ $line"
  eval "$line"
done
