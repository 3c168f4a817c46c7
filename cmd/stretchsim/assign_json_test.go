package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssignJSONShape(t *testing.T) {
	code, out, errOut := runCLI(t, "assign", "--placer", "legacy", "--brokers", twoSites,
		"--partitions", "1", "--replication-factor", "4", "--start-index", "0", "--shift", "0", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `^\{\n  "assignments": \[\n    \{\n      "partition": 0,`, out, "assignments first, 2-space indent")

	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, []any{map[string]any{"partition": 0.0, "replicas": []any{1.0, 4.0, 2.0, 5.0}}}, got["assignments"])
	assert.Equal(t, "legacy", got["placer"])
	assert.Equal(t, 0.0, got["seed"])
	assert.Equal(t, 0.0, got["random_draws"])
	assert.Equal(t, map[string]any{
		"start_index": 0.0, "start_index_drawn": false, "shift": 0.0, "shift_drawn": false, "start_partition": 0.0,
	}, got["legacy"])
	assert.Equal(t, true, got["site_aware"])
	assert.Equal(t, map[string]any{"id": 1.0, "site": "DC1", "fenced": false, "replicas": 1.0, "leaders": 1.0},
		got["brokers"].([]any)[0])
	assert.Equal(t, []any{
		map[string]any{"site": "DC1", "brokers": 3.0, "replicas": 2.0, "leaders": 1.0},
		map[string]any{"site": "DC2", "brokers": 3.0, "replicas": 2.0, "leaders": 0.0},
	}, got["sites"])
	assert.Equal(t, []any{map[string]any{"sites": 2.0, "partitions": 1.0}}, got["site_spread"])
	assert.Equal(t, []any{}, got["single_site_partitions"])
}

func TestAssignJSONNoSite(t *testing.T) {
	code, out, errOut := runCLI(t, "assign", "--brokers", "0,1,2", "--partitions", "3", "--replication-factor", "1", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.NotContains(t, got, "legacy")
	assert.Equal(t, false, got["site_aware"])
	assert.Nil(t, got["brokers"].([]any)[0].(map[string]any)["site"])
	assert.Equal(t, []any{map[string]any{"site": nil, "brokers": 3.0, "replicas": 3.0, "leaders": 3.0}}, got["sites"])
	assert.Equal(t, []any{}, got["site_spread"])
}
