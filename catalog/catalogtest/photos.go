package catalogtest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"sync"
	"testing"
)

var (
	bigPNGOnce sync.Once
	bigPNG     []byte
)

// BigPNG16 is the photo of the hardening issue: a 7000×7000 RGBA PNG at 16
// bits a channel, all zeros, which deflates to 372 KB and decodes to
// 392 MB. It is written row by row, so making it takes no such memory.
func BigPNG16(tb testing.TB) []byte {
	tb.Helper()
	bigPNGOnce.Do(func() {
		const side = 7000
		var out bytes.Buffer
		out.WriteString("\x89PNG\r\n\x1a\n")
		chunk := func(typ string, data []byte) {
			_ = binary.Write(&out, binary.BigEndian, uint32(len(data)))
			crc := crc32.NewIEEE()
			crc.Write([]byte(typ))
			crc.Write(data)
			out.WriteString(typ)
			out.Write(data)
			_ = binary.Write(&out, binary.BigEndian, crc.Sum32())
		}
		ihdr := make([]byte, 13)
		binary.BigEndian.PutUint32(ihdr[0:], side)
		binary.BigEndian.PutUint32(ihdr[4:], side)
		ihdr[8], ihdr[9] = 16, 6 // 16-bit RGBA
		chunk("IHDR", ihdr)
		var idat bytes.Buffer
		z, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
		row := make([]byte, 1+side*8) // filter byte "none", then the pixels
		for range side {
			_, _ = z.Write(row)
		}
		_ = z.Close()
		chunk("IDAT", idat.Bytes())
		chunk("IEND", nil)
		bigPNG = out.Bytes()
	})
	return bigPNG
}
