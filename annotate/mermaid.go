package annotate

// mermaid writes one sequenceDiagram per connection (placeholder until the
// full diagram lands: participants and one arrow per packet).
func (d *document) mermaid() {
	for _, c := range d.conns {
		d.w.WriteString("sequenceDiagram\n")
		_ = c
	}
}
