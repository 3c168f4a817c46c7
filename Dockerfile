# A small static image of stretchsim: the binary alone, run as a non-root user. Build it with
#
#   docker build --build-arg VERSION="$(git describe --always --dirty=+dirty --abbrev=12)" \
#       -t REGISTRY/stretchsim:"$(git rev-parse --short=12 HEAD)" .
#
# The build context leaves .git out (.dockerignore), so the go command cannot stamp the VCS
# revision into the binary; VERSION stands in for it. It is what `stretchsim version` prints and
# part of the key under which a sweep stores a finished run, so every shard of one sweep must run
# the same image: tag it by revision, not :latest.

# The Go release that builds the binary; its minor version must be the one go.mod names
# (deploy/docker_test.go checks).
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION}-trixie AS build
# Static binary, no cgo; GOTOOLCHAIN=local fails loudly, instead of downloading another
# toolchain, when go.mod asks for a newer Go than the image has.
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly
WORKDIR /src
# Modules first, so that a change of source does not download them again.
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
ARG VERSION=dev
RUN go build -trimpath -buildvcs=false \
        -ldflags="-s -w -X main.version=${VERSION}" \
        -o /out/stretchsim ./cmd/stretchsim

# distroless static: no shell, no libc, a nonroot user (uid 65532) and /tmp; about 2 MiB.
FROM gcr.io/distroless/static-debian13:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="stretchsim" \
      org.opencontainers.image.description="Discrete-event simulator of Apache Kafka stretch clusters" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/stretchsim /usr/local/bin/stretchsim
# Numeric, so that Kubernetes can enforce runAsNonRoot.
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/local/bin/stretchsim"]
