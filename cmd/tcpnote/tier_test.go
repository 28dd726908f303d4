package main

import "github.com/tcpnote/tcpnote/grammar/tiertest"

// The tests run in two tiers. By default (`go test -race ./...`, the
// README's command) the heaviest tests repeat less: fewer random inputs, a
// shorter huge line. With TCPNOTE_EXHAUSTIVE=1 (tiertest.Env) they run in
// full. The assertions are the same in both tiers.
var exhaustive = tiertest.Exhaustive
