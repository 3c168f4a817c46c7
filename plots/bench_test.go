package plots

import (
	"io"
	"testing"
)

// The report of a sweep renders a handful of charts: each must take milliseconds.

func benchmarkRender(b *testing.B, c chart) {
	b.Run("SVG", func(b *testing.B) {
		for b.Loop() {
			if err := c.SVG(io.Discard, Size{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("PNG", func(b *testing.B) {
		for b.Loop() {
			if err := c.PNG(io.Discard, Size{}, 96); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRenderLines(b *testing.B)    { benchmarkRender(b, demoLines()) }
func BenchmarkRenderFacets(b *testing.B)   { benchmarkRender(b, demoFacets()) }
func BenchmarkRenderHeatmap(b *testing.B)  { benchmarkRender(b, demoHeatmap()) }
func BenchmarkRenderTimeline(b *testing.B) { benchmarkRender(b, demoTimeline()) }
