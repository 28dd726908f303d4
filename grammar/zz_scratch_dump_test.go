package grammar

import (
	"fmt"
	"os"
	"bufio"
	"testing"
)

func TestDumpScratch(t *testing.T) {
	f, _ := os.Open("/tmp/scratch/lines.txt")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		raw := []byte(sc.Text())
		var p Packet
		ok := fromGrammar(raw, &p)
		fmt.Printf("%q ok=%v\n", raw, ok)
		if ok {
			fmt.Printf("  %+v\n", p)
			fmt.Printf("  flagtext=%q suffix=%q cksum=%q time=%q\n", p.Text(p.FlagText), p.Text(p.Suffix), p.Text(p.Cksum), p.Text(p.Time))
			for _, o := range p.Options { fmt.Printf("  opt %v %q %d %d %v\n", o.Kind, p.Text(o.Text), o.Val, o.Val2, o.Blocks[:o.NBlocks]) }
		}
	}
}
