package main

import (
	"bytes"
	"io"
	"runtime"
	"testing"
)

// TestSmallInputAllocatesLittle: a run on a small trace allocates what
// the trace needs, not a full pipeline's worth of batches. The tests,
// the fuzz targets and the web page run tcpnote in-process on small
// inputs thousands of times: batches made full-sized up front cost each
// such run 7 MB to zero and ten times the time (a 12-packet trace: 2.1
// ms against 0.2). It measures bytes allocated, not time.
func TestSmallInputAllocatesLittle(t *testing.T) {
	in := realTrace(t)
	for _, format := range []string{"text", "json"} {
		annotate := func() {
			run([]string{"--color", "never", "--format", format}, bytes.NewReader(in), io.Discard, io.Discard, func(string) string { return "" })
		}
		annotate() // the tables a format builds on first use are built once a process
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		annotate()
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
			t.Errorf("%s: a %d-byte trace allocated %d bytes (at most 1 MiB)", format, len(in), got)
		} else {
			t.Logf("%s: a %d-byte trace allocated %d bytes", format, len(in), got)
		}
	}
}
