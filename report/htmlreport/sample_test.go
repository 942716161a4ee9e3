package htmlreport

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSteps(t *testing.T) {
	a := axis{end: 100 * time.Second, cols: 10} // a column is 10 s, 100 viewBox units
	tests := []struct {
		name string
		in   []Step
		want []pt
	}{
		{"one per column", []Step{{0, 1}, {15 * time.Second, 2}, {35 * time.Second, 3}}, []pt{{0, 1}, {150, 2}, {350, 3}}},
		{"a column keeps its last value at its first change", []Step{{0, 1}, {21 * time.Second, 5}, {22 * time.Second, 2}, {29 * time.Second, 4}}, []pt{{0, 1}, {210, 4}}},
		{"a column that ends where it began is dropped", []Step{{0, 1}, {21 * time.Second, 5}, {29 * time.Second, 1}}, []pt{{0, 1}}},
		{"past the end", []Step{{0, 1}, {150 * time.Second, 2}}, []pt{{0, 1}, {1500, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, a.steps(tt.in))
		})
	}
}

func TestSamplesKeepPeaks(t *testing.T) {
	a := axis{end: 100 * time.Second, cols: 10}
	got := a.samples([]Sample{{0, 10}, {2 * time.Second, 90}, {4 * time.Second, 20}, {12 * time.Second, 5}})
	require.Equal(t, []pt{{0, 90}, {120, 5}}, got)
}

func TestStacked(t *testing.T) {
	a := axis{end: 100 * time.Second, cols: 100}
	xs, tops := a.stacked([][]Step{{{0, 2}, {50 * time.Second, 0}}, {{40 * time.Second, 3}}})
	require.Equal(t, []float64{0, 400, 500}, xs)
	require.Equal(t, [][]float64{{2, 2}, {2, 5}, {0, 3}}, tops)
}

func TestColumnsFor(t *testing.T) {
	require.Equal(t, vbWidth, columnsFor(1))
	require.Equal(t, vbWidth, columnsFor(40))
	require.Equal(t, 400, columnsFor(100))
	require.Equal(t, minColumns, columnsFor(200))
	require.Equal(t, minColumns, columnsFor(5000))
}
