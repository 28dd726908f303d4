package fsm

import "github.com/tcpnote/tcpnote/grammar"

// The table's cache of connections by endpoints: most packets belong to a
// connection in the table, and finding it by its key costs building the
// key from both endpoints' host and port text and hashing it into the map
// (a sixth of Process, issue 16). The cache finds it from the packet's own
// bytes instead: a direct-mapped array indexed by a cheap hash of the two
// endpoints, checked by comparing them with the connection's Client and
// Server. A miss falls back to the key and the map, exactly as before.
//
// Invariant: a slot is nil or holds a connection that is in the map under
// its key. table.add stores, table.remove clears, and Process stores a
// connection the map returned. So a hit whose endpoints match is the
// connection the map would return for the packet's key: the same two
// endpoints, in either order, make the same key.

// recentLen is the number of slots: a power of two, a few times the
// connections a busy trace interleaves (8 KB of pointers).
const recentLen = 1024

// endHash is a cheap hash of an endpoint's text, `host.port`: its length
// and its last eight bytes (the port and the end of the host, where the
// endpoints of one trace differ most). Only the cache's hit rate depends
// on it, never a result.
func endHash(s string) uint64 {
	n := len(s)
	if n >= 8 {
		t := s[n-8:]
		return uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56 ^ uint64(n)
	}
	h := uint64(n)
	for i := 0; i < n; i++ {
		h = h<<8 | uint64(s[i])
	}
	return h
}

// pairSlot returns the slot of a connection between two endpoints, in
// either order (the sum is symmetric).
func pairSlot(a, b string) int {
	return int((endHash(a) + endHash(b)) * 0x9E3779B97F4A7C15 >> (64 - 10))
}

// endpointText returns an endpoint's `host.port` as the packet holds it,
// when the host, the dot and the port lie together in the raw text: then it
// is exactly what endpointKey builds. ok is false otherwise (the cache is
// not used for the packet).
func endpointText(p *grammar.Packet, e *grammar.Endpoint) (s string, ok bool) {
	h, pt := e.Host, e.Port
	if h.Empty() || pt.Empty() || pt.Start != h.End+1 || int(pt.End) > len(p.Raw) || p.Raw[h.End] != '.' {
		return "", false
	}
	return viewBytes(p.Raw[h.Start:pt.End]), true
}

// recentConn looks a packet's connection up in the cache. On a hit it
// returns the connection and the packet's sender in it. Otherwise slot is
// where the connection the map finds belongs (see storeRecent), or -1 when
// the packet's endpoints cannot be read from its text.
func (t *table) recentConn(p *grammar.Packet) (c *Conn, from Role, slot int, hit bool) {
	src, ok1 := endpointText(p, &p.Src)
	dst, ok2 := endpointText(p, &p.Dst)
	if !ok1 || !ok2 || t.noRecent {
		return nil, Client, -1, false
	}
	slot = pairSlot(src, dst)
	c = t.recent[slot]
	switch {
	case c == nil:
	case src == c.Client && dst == c.Server:
		return c, Client, slot, true
	case src == c.Server && dst == c.Client:
		return c, Server, slot, true
	}
	return nil, Client, slot, false
}

// storeRecent puts a connection the map returned in its slot.
func (t *table) storeRecent(c *Conn, slot int) {
	if slot >= 0 {
		t.recent[slot] = c
	}
}
