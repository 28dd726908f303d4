package fsm

// RTTStats sums up the ACK round-trip times of one direction's data: how
// many data→ACK pairs the trace shows, and the least, median and greatest
// time from a data segment to the ACK that first covers it, in µs. N == 0:
// the trace shows no such pair, and the times mean nothing.
//
// (Declared here by the stats branch so that it compiles before the rtt
// branch, which computes it, is merged; the lead keeps one copy.)
type RTTStats struct {
	N                      int
	MinUs, MedianUs, MaxUs int64
}
