package annotate

// html writes a self-contained page with a ladder diagram per connection.
func (d *document) html() {
	d.w.WriteString("<!DOCTYPE html>\n")
}
