package annotate

import "github.com/tcpnote/tcpnote/grammar/tiertest"

// The corpus-wide tests sample their files by tiertest's rule (the
// default tier) or check them all (TCPNOTE_EXHAUSTIVE=1).
var (
	sample    = tiertest.Sample
	sampleSet = tiertest.SampleSet
)
