#!/bin/bash
# Merges the shard directories that sweep-array.sh wrote, RESULTS_DIR/shard-0 … shard-(N-1), into
# RESULTS_DIR/merged. Submit it to start when every array task has succeeded:
#
#   jobid=$(sbatch --parsable deploy/slurm/sweep-array.sh SWEEP_FILE RESULTS_DIR)
#   sbatch --dependency=afterok:${jobid%%;*} deploy/slurm/sweep-merge.sh RESULTS_DIR
#
# If a task fails, this job never starts (squeue shows it pending with the reason
# DependencyNeverSatisfied): scancel it and submit both again; the array resumes where it stopped.
#
#SBATCH --job-name=stretchsim-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=00:30:00
#SBATCH --output=slurm-%x-%j.out
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: sbatch sweep-merge.sh RESULTS_DIR" >&2
	exit 2
fi
results=$1

# N is the number of shard directories; they must be numbered 0 … N-1 without gaps.
shopt -s nullglob
all=("$results"/shard-*)
shards=()
while [[ -d "$results/shard-${#shards[@]}" ]]; do
	shards+=("$results/shard-${#shards[@]}")
done
if [[ ${#shards[@]} -eq 0 || ${#shards[@]} -ne ${#all[@]} ]]; then
	echo "sweep-merge.sh: expected $results/shard-0 … shard-(N-1) without gaps, found:" \
		"${all[*]:-none}" >&2
	exit 1
fi

exec "${STRETCHSIM:-stretchsim}" merge --out "$results/merged" "${shards[@]}"
