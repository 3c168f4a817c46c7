// Package deploy holds no code: it is the home of the files that run a sweep on many machines,
// and of the tests that keep them honest. So far these are the repository's Dockerfile and
// .dockerignore: the tests check that the image builds a static binary with the Go release of
// go.mod, runs it as a non-root user, and is built from a context that keeps every file the build
// needs.
package deploy
