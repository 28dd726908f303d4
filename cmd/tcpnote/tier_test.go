package main

import "os"

// The tests run in two tiers. By default (`go test -race ./...`, the
// README's command) the heaviest tests repeat less: fewer random inputs, a
// shorter huge line. With TCPNOTE_EXHAUSTIVE=1 they run in full. The
// assertions are the same in both tiers.
const exhaustiveEnv = "TCPNOTE_EXHAUSTIVE"

// exhaustive reports whether the exhaustive tier was asked for.
func exhaustive() bool { return os.Getenv(exhaustiveEnv) == "1" }
