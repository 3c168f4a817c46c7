package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/stretchsim/stretchsim/model/placement"
)

// Placer names accepted by --placer.
const (
	placerLegacy  = "legacy"
	placerStriped = "striped"
)

// assignOptions holds the raw flag values of `stretchsim assign`; request validates them.
type assignOptions struct {
	Out io.Writer

	Brokers           string
	Partitions        int
	ReplicationFactor int
	Placer            string
	StartIndex        int
	Shift             int
	StartPartition    int
	Fenced            string
	Seed              int64
	Format            string

	// Which flags were given on the command line: a flag's zero value is meaningful (broker 0,
	// start index 0), so presence is tracked separately from the value.
	PartitionsSet        bool
	ReplicationFactorSet bool
	StartIndexSet        bool
	ShiftSet             bool
	StartPartitionSet    bool
	FencedSet            bool
}

const assignLong = `Print the replica assignment Kafka computes for a new topic, followed by a summary
per broker, per site and of how many sites each partition spans.

Two placers are modelled exactly, random draws included:

  striped  The KRaft StripedReplicaPlacer, which the controller uses to create topics in
           KRaft clusters (the default). Brokers listed in --fenced may hold follower
           replicas but never lead. Brokers without a site count as one rack of their own.
  legacy   AdminUtils.assignReplicasToBrokers, which ZooKeeper-era clusters used to create
           topics and which kafka-reassign-partitions --generate still uses. If any broker has
           a site, every broker must have one (Kafka's "Not all brokers have rack information").

--brokers is a comma-separated list of broker ids, each optionally followed by ":site"
(broker.rack). The order does not matter: like Kafka's callers, stretchsim sorts brokers by id.
A broker listed twice is rejected by the placer (exit 1).

The random numbers come from java.util.Random(--seed), consumed in Kafka's order, so a seed
reproduces a layout. For legacy, an unset --start-index or --shift is drawn from it (start
index first, then shift), and the output says what was drawn. Kafka's fixedStartIndex=k is
--start-index k --shift k; giving the two separately reaches every layout the random draws can
produce.`

const assignExample = `  # Three sites, KRaft's striped placer (the default)
  stretchsim assign --brokers 1:dc-a,2:dc-a,3:dc-a,4:dc-b,5:dc-b,6:dc-b,7:dc-c,8:dc-c,9:dc-c --partitions 6 --replication-factor 3

  # Two sites, legacy placer, Kafka's fixedStartIndex=0: prints "0: [1 4 2 5]"
  stretchsim assign --placer legacy --brokers 1:DC1,2:DC1,3:DC1,4:DC2,5:DC2,6:DC2 --partitions 1 --replication-factor 4 --start-index 0 --shift 0

  # No sites (rack-unaware), a layout only random draws can give: start index 3, shift 0
  stretchsim assign --placer legacy --brokers 1,2,3,4,5 --partitions 5 --replication-factor 3 --start-index 3 --shift 0

  # Striped placement with brokers 4 and 5 fenced, as JSON
  stretchsim assign --brokers 1:dc-a,2:dc-a,3:dc-a,4:dc-b,5:dc-b,6:dc-b --partitions 6 --replication-factor 4 --fenced 4,5 --format json`

// newCmdAssign builds `stretchsim assign`. runF replaces runAssign when non-nil (tests).
func newCmdAssign(runF func(*assignOptions) error) *cobra.Command {
	opts := &assignOptions{}
	cmd := &cobra.Command{
		Use:     "assign --brokers LIST --partitions N --replication-factor N [flags]",
		Short:   "Print Kafka's replica placement for a topic over brokers in sites",
		Long:    assignLong,
		Example: assignExample,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Out = cmd.OutOrStdout()
			opts.markSet(cmd.Flags())
			if runF != nil {
				return runF(opts)
			}
			return runAssign(opts)
		},
	}
	addAssignFlags(cmd.Flags(), opts)
	completeValues(cmd, "placer", placerStriped, placerLegacy)
	completeValues(cmd, "format", formatText, formatJSON)
	return cmd
}

// completeValues registers the fixed values of a flag for shell completion. It panics if the flag
// does not exist or already has a completion: a programmer error.
func completeValues(cmd *cobra.Command, flag string, values ...string) {
	err := cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	if err != nil {
		panic(fmt.Sprintf("completion for --%s: %v", flag, err))
	}
}

func addAssignFlags(f *pflag.FlagSet, opts *assignOptions) {
	f.StringVar(&opts.Brokers, "brokers", "", "brokers as id or id:site, comma-separated, e.g. 1:dc-a,2:dc-b (required)")
	f.IntVar(&opts.Partitions, "partitions", 0, fmt.Sprintf("number of partitions, at most %d (required)", maxPartitions))
	f.IntVar(&opts.ReplicationFactor, "replication-factor", 0, "replicas per partition (required)")
	f.StringVar(&opts.Placer, "placer", placerStriped, "placement algorithm: striped (KRaft topic creation) or legacy (ZooKeeper era, reassign --generate)")
	f.IntVar(&opts.StartIndex, "start-index", 0, "legacy only: Kafka's startIndex; partition p's leader is entry (p + start index) mod #brokers of the (rack-alternated) broker list (default: drawn from the seed)")
	f.IntVar(&opts.Shift, "shift", 0, "legacy only: Kafka's nextReplicaShift, the follower offset (default: drawn from the seed)")
	f.IntVar(&opts.StartPartition, "start-partition", 0, "legacy only: first partition number, Kafka's startPartitionId (default 0)")
	f.StringVar(&opts.Fenced, "fenced", "", "striped only: comma-separated ids of fenced brokers, which get followers but never leaders (default none)")
	f.Int64Var(&opts.Seed, "seed", 0, "seed of the java.util.Random the placer draws from (default 0)")
	f.StringVar(&opts.Format, "format", formatText, "output format: text or json")
	f.SortFlags = false
}

// markSet records which flags were given explicitly.
func (o *assignOptions) markSet(f *pflag.FlagSet) {
	o.PartitionsSet = f.Changed("partitions")
	o.ReplicationFactorSet = f.Changed("replication-factor")
	o.StartIndexSet = f.Changed("start-index")
	o.ShiftSet = f.Changed("shift")
	o.StartPartitionSet = f.Changed("start-partition")
	o.FencedSet = f.Changed("fenced")
}

// runAssign validates the options, runs the placer and writes the report.
func runAssign(opts *assignOptions) error {
	req, err := opts.request()
	if err != nil {
		return err
	}
	res, err := place(req)
	if err != nil {
		return err
	}
	rep, err := newAssignReport(req, res)
	if err != nil {
		return err
	}
	return writeAssignReport(opts.Out, req.format, rep)
}

// outcome is the outcome of one placer call.
type outcome struct {
	// replicas[i] is the replica list of partition firstPartition+i, preferred leader first.
	replicas       [][]placement.BrokerID
	firstPartition int
	draws          []draw // the first maxRecordedDraws draws, in order
	drawCount      int    // all draws
}

// place runs the requested placer with a java.util.Random seeded from the request, recording the
// draws it consumes.
func place(req *assignRequest) (*outcome, error) {
	rnd := &recordingSource{src: placement.NewJavaRandom(req.seed)}
	var (
		replicas [][]placement.BrokerID
		err      error
	)
	first := 0
	switch req.placer {
	case placerLegacy:
		replicas, err = placement.AssignLegacy(req.brokers, req.partitions, req.rf, req.legacy, rnd)
		first = max(0, req.legacy.StartPartition)
	default:
		replicas, err = placement.PlaceStriped(req.brokers, req.partitions, req.rf, rnd)
	}
	if err != nil {
		return nil, fmt.Errorf("%s placement: %w", req.placer, err)
	}
	return &outcome{replicas: replicas, firstPartition: first, draws: rnd.draws, drawCount: rnd.count}, nil
}

// maxRecordedDraws bounds the draws kept for the report; legacy consumes at most two.
const maxRecordedDraws = 8

// draw is one NextInt(Bound) call and its result.
type draw struct {
	Bound int `json:"bound"`
	Value int `json:"value"`
}

// recordingSource passes draws through from src and remembers them.
type recordingSource struct {
	src   placement.IntSource
	draws []draw
	count int
}

func (r *recordingSource) NextInt(bound int) int {
	v := r.src.NextInt(bound)
	if len(r.draws) < maxRecordedDraws {
		r.draws = append(r.draws, draw{Bound: bound, Value: v})
	}
	r.count++
	return v
}
