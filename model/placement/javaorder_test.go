package placement

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Expected values were printed by OpenJDK 17 (String.hashCode, String.compareTo and the keySet
// order of a HashMap<Optional<String>, ...> filled in the input order).

func TestJavaStringHashCode(t *testing.T) {
	tests := []struct {
		s    string
		want int32
	}{
		{"", 0},
		{"DC1", 67474},
		{"DC2", 67475},
		{"rack1", 108269626},
		{"é", 233},
		{"中文", 646394},
		{"\U0001F600x", 54959989}, // a surrogate pair: two UTF-16 code units
		{"a-very-long-rack-name-eu-west-1a", -423005085},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, JavaStringHashCode(tt.s), "%q", tt.s)
	}
}

func TestJavaHashMapOrder(t *testing.T) {
	var r19to0 []string
	for i := 19; i >= 0; i-- {
		r19to0 = append(r19to0, "r"+strconv.Itoa(i))
	}
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"DC2 iterates before DC1 (reference §1.2)", []string{"DC1", "DC2"}, []string{"DC2", "DC1"}},
		{"insertion order does not matter across buckets", []string{"DC2", "DC1"}, []string{"DC2", "DC1"}},
		{"Kafka test racks", []string{"1", "3", "2", "4"}, []string{"1", "2", "3", "4"}},
		{"rack names", []string{"rack1", "rack3", "rack2"}, []string{"rack3", "rack1", "rack2"}},
		{"no rack hashes to 0", []string{"eu-west-1a", "eu-west-1b", "eu-west-1c", "", "zz"},
			[]string{"", "zz", "eu-west-1b", "eu-west-1c", "eu-west-1a"}},
		{"non-BMP names", []string{"zone-b", "", "zone-a", "\U0001F600", "\uFFFD"},
			[]string{"", "\U0001F600", "\uFFFD", "zone-a", "zone-b"}},
		{"20 keys resize the table to 32", r19to0, []string{"r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9",
			"r10", "r12", "r11", "r14", "r13", "r16", "r15", "r18", "r17", "r19", "r0", "r1"}},
		// All nine share bucket 5 of 16; the ninth makes treeifyBin resize to 32, which moves
		// the last four (bucket 5 of 32) before the first five (bucket 21).
		{"a ninth colliding key resizes a small table",
			[]string{"k120", "k131", "k142", "k153", "k164", "k0", "k70", "k81", "k92"},
			[]string{"k0", "k70", "k81", "k92", "k120", "k131", "k142", "k153", "k164"}},
		{"eight colliding keys keep insertion order",
			[]string{"k120", "k131", "k142", "k153", "k164", "k0", "k70", "k81"},
			[]string{"k120", "k131", "k142", "k153", "k164", "k0", "k70", "k81"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, i := range javaHashMapOrder(tt.in) {
				got = append(got, tt.in[i])
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestJavaStringCompare(t *testing.T) {
	// U+FFFD is above the surrogate pair of U+1F600 in UTF-16, below it in UTF-8 bytes.
	assert.Positive(t, javaStringCompare("\uFFFD", "\U0001F600"))
	assert.Negative(t, javaStringCompare("a", "ab"))
	assert.Negative(t, javaStringCompare("B", "a"))
	assert.Negative(t, javaStringCompare("", "a"), "no rack sorts first, as OptionalStringComparator")
	assert.Zero(t, javaStringCompare("rack", "rack"))
}
