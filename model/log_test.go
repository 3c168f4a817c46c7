package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTruncateBelowTrimmedPrefix checks that a follower whose batches were all forgotten (every
// reader had them) can still truncate to a new leader's epoch start below them (KIP-320): its
// log goes on from the divergence point, and its epoch cache loses the later epochs.
func TestTruncateBelowTrimmedPrefix(t *testing.T) {
	var l replicaLog
	l.append(10, 1000, 0, 0, 0)
	l.append(10, 1000, 0, 0, 0)
	l.append(5, 500, 1, 0, 0)
	l.hw = 25
	l.trim(25)
	assert.Equal(t, Offset(25), l.start)
	l.truncate(18)
	assert.Equal(t, Offset(18), l.leo)
	assert.Equal(t, Offset(18), l.hw)
	assert.Equal(t, int32(0), l.latestEpoch(), "epoch 1 started at 20, past the new end")
	l.append(4, 400, 2, 0, 0)
	assert.Equal(t, Offset(22), l.leo)
	assert.Equal(t, int64(400), l.bytesFrom(18, 22))

	var m replicaLog
	m.append(10, 1000, 0, 0, 0)
	m.append(10, 1000, 1, 0, 0)
	m.truncate(15) // inside the second batch: it goes whole
	assert.Equal(t, Offset(10), m.leo)
	assert.Equal(t, int32(0), m.latestEpoch())
}
