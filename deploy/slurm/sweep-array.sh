#!/bin/bash
# A stretchsim sweep split into shards as a SLURM job array: array task I of N runs
# `stretchsim sweep --shard I/N`, the runs k (numbered point × replications + replication) with
# k mod N = I, and writes them to RESULTS_DIR/shard-I. sweep-merge.sh, submitted to start once
# every task has succeeded, combines the shard directories into RESULTS_DIR/merged, byte-identical
# to the sweep run on a single machine.
#
#   jobid=$(sbatch --parsable deploy/slurm/sweep-array.sh SWEEP_FILE RESULTS_DIR)
#   sbatch --dependency=afterok:${jobid%%;*} deploy/slurm/sweep-merge.sh RESULTS_DIR
#
# N is the number of tasks in --array below: 0-(N-1), no step, no list. Change it there, or on the
# command line (sbatch --array=0-15 ...); the shard count follows (SLURM_ARRAY_TASK_COUNT). A
# throttle such as --array=0-15%4 (at most 4 at once) is fine. With more shards than runs, the
# extra shards get no runs. Paths are relative to the directory sbatch was run from, which must
# be on a file system every node shares. STRETCHSIM names the binary (default: stretchsim on PATH);
# a static build (CGO_ENABLED=0 go build ./cmd/stretchsim) runs on any Linux node of its
# architecture. After a failure, submit the same two commands again: each task resumes its own
# directory (the runs it finished are not run again), so the tasks that had finished have
# nothing left to do.
#
#SBATCH --job-name=stretchsim-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem-per-cpu=1G
#SBATCH --time=04:00:00
#SBATCH --output=slurm-%x-%A_%a.out
set -euo pipefail

if [[ $# -ne 2 ]]; then
	echo "usage: sbatch sweep-array.sh SWEEP_FILE RESULTS_DIR" >&2
	exit 2
fi
sweep_file=$1
results=$2

# The shard is the task's place in the array, so the array must number its tasks 0 … N-1.
task=${SLURM_ARRAY_TASK_ID:?not a job array task: submit with sbatch}
shards=${SLURM_ARRAY_TASK_COUNT:?SLURM_ARRAY_TASK_COUNT is not set}
if [[ ${SLURM_ARRAY_TASK_MIN:-} != 0 || ${SLURM_ARRAY_TASK_MAX:-} != $((shards - 1)) ]]; then
	echo "sweep-array.sh: the array must be 0-$((shards - 1)) without gaps, not" \
		"${SLURM_ARRAY_TASK_MIN:-?}-${SLURM_ARRAY_TASK_MAX:-?} with ${shards} tasks" >&2
	exit 2
fi

mkdir -p "$results"
exec "${STRETCHSIM:-stretchsim}" sweep "$sweep_file" \
	--out "$results/shard-$task" \
	--shard "$task/$shards" \
	--parallel "${SLURM_CPUS_PER_TASK:-1}"
