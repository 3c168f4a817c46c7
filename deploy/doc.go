// Package deploy holds no code: it is the home of the files that run a sweep on many machines,
// and of the tests that keep them honest. The files are the Kubernetes manifests in kubernetes/
// (an Indexed Job whose pod I runs `stretchsim sweep --shard I/N`, a Job that merges the
// shards, a volume claim and a pod to copy results off it), the SLURM scripts in slurm/ (a job
// array whose task I runs shard I, and a merge job to run after it), and the repository's
// Dockerfile and .dockerignore. The tests parse them, run the SLURM scripts with a stand-in for
// stretchsim, and check that their shards, numbered 0 … N-1 with one N throughout, give every
// run of a sweep to exactly one shard, that the merge reads every shard directory, and that the
// image builds a static binary from a context that keeps every file the build needs.
package deploy
