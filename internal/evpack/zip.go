package evpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"time"
)

// zipOut writes the package's ZIP in one fixed layout, byte for byte the
// same for the same entries: every entry stored (no compression, whose
// padding bits a decoder ignores), no extra fields but ZIP64 where a size
// or offset needs it, no comments, every time the manifest's created_at.
// The fixed entries, held in memory, carry their CRC and size in the
// local header; files, streamed, carry their size there too (the manifest
// knows it) and their CRC in a data descriptor after the data. Verify runs
// the same code over what it reads, so every byte that is not file
// content must be exactly what Write wrote; file content is hashed.
type zipOut struct {
	w          io.Writer
	off        int64
	time, date uint16
	where      string // the entry being written, or "" for the central directory and its end
	part       string // which part of it
	cd         []zipEntry
	cur        *zipEntry
	crc        uint32 // CRC-32 of the current streamed entry so far
}

type zipEntry struct {
	name   string
	crc    uint32
	size   uint64
	off    uint64
	stream bool // CRC in a data descriptor after the data
}

const (
	u32max    = 0xffffffff
	zipV20    = 20 // stored entries
	zipV45    = 45 // ZIP64
	flagDesc  = 0x0008
	zip64Tag  = 0x0001
	dosEpoch  = 1980
	sigLocal  = 0x04034b50
	sigDesc   = 0x08074b50
	sigCentre = 0x02014b50
	sigEnd64  = 0x06064b50
	sigLoc64  = 0x07064b50
	sigEnd    = 0x06054b50
)

func newZipOut(w io.Writer, at time.Time) *zipOut {
	at = at.UTC()
	if at.Year() < dosEpoch {
		at = time.Date(dosEpoch, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return &zipOut{w: w,
		time: uint16(at.Hour()<<11 | at.Minute()<<5 | at.Second()>>1),
		date: uint16((at.Year()-dosEpoch)<<9 | int(at.Month())<<5 | at.Day()),
	}
}

func (z *zipOut) write(part string, b []byte) error {
	z.part = part
	n, err := z.w.Write(b)
	z.off += int64(n)
	return err
}

func (e *zipEntry) bigSize() bool { return e.size >= u32max }
func (e *zipEntry) bigOff() bool  { return e.off >= u32max }
func (e *zipEntry) version() uint16 {
	if e.bigSize() || e.bigOff() {
		return zipV45
	}
	return zipV20
}
func (e *zipEntry) flags() uint16 {
	if e.stream {
		return flagDesc
	}
	return 0
}

type le []byte

func (b le) u16(v uint16) le { return binary.LittleEndian.AppendUint16(b, v) }
func (b le) u32(v uint32) le { return binary.LittleEndian.AppendUint32(b, v) }
func (b le) u64(v uint64) le { return binary.LittleEndian.AppendUint64(b, v) }

func clamp32(v uint64) uint32 { return uint32(min(v, u32max)) }

func (z *zipOut) local(e *zipEntry) error {
	crc, size := e.crc, e.size
	if e.stream {
		crc = 0
	}
	b := le(nil).u32(sigLocal).u16(e.version()).u16(e.flags()).u16(0).u16(z.time).u16(z.date).u32(crc)
	if e.bigSize() {
		b = b.u32(u32max).u32(u32max)
	} else {
		b = b.u32(uint32(size)).u32(uint32(size))
	}
	extra := le(nil)
	if e.bigSize() {
		extra = extra.u16(zip64Tag).u16(16).u64(size).u64(size)
	}
	b = b.u16(uint16(len(e.name))).u16(uint16(len(extra)))
	b = append(append(b, e.name...), extra...)
	return z.write("local header", b)
}

func (z *zipOut) start(name string, size int64, crc uint32, stream bool) error {
	if len(name) > 0xffff || size < 0 {
		return fmt.Errorf("evpack: cannot store %q (%d bytes)", name, size)
	}
	z.where = name
	z.cd = append(z.cd, zipEntry{name: name, crc: crc, size: uint64(size), off: uint64(z.off), stream: stream})
	z.cur = &z.cd[len(z.cd)-1]
	return z.local(z.cur)
}

// put writes an entry held in memory.
func (z *zipOut) put(name string, body []byte) error {
	if err := z.start(name, int64(len(body)), crc32.ChecksumIEEE(body), false); err != nil {
		return err
	}
	return z.write("content", body)
}

// begin starts a streamed entry of size bytes; Write then end.
func (z *zipOut) begin(name string, size int64) error {
	z.crc = 0
	return z.start(name, size, 0, true)
}

// Write writes content of the streamed entry.
func (z *zipOut) Write(p []byte) (int, error) {
	z.crc = crc32.Update(z.crc, crc32.IEEETable, p)
	z.part = "content"
	n, err := z.w.Write(p)
	z.off += int64(n)
	return n, err
}

// end closes the streamed entry with its data descriptor, of crc.
func (z *zipOut) end(crc uint32) error {
	e := z.cur
	if uint64(z.off) != e.off+uint64(z.headerLen(e))+e.size {
		return fmt.Errorf("evpack: %s: %d bytes written, %d announced", e.name, uint64(z.off)-e.off-uint64(z.headerLen(e)), e.size)
	}
	e.crc = crc
	b := le(nil).u32(sigDesc).u32(crc)
	if e.bigSize() {
		b = b.u64(e.size).u64(e.size)
	} else {
		b = b.u32(uint32(e.size)).u32(uint32(e.size))
	}
	return z.write("data descriptor", b)
}

func (z *zipOut) headerLen(e *zipEntry) int {
	n := 30 + len(e.name)
	if e.bigSize() {
		n += 20
	}
	return n
}

// close writes the central directory and its end.
func (z *zipOut) close() error {
	start := uint64(z.off)
	for i := range z.cd {
		e := &z.cd[i]
		z.where = e.name
		extra := le(nil)
		if e.bigSize() {
			extra = extra.u64(e.size).u64(e.size)
		}
		if e.bigOff() {
			extra = extra.u64(e.off)
		}
		if len(extra) > 0 {
			extra = append(le(nil).u16(zip64Tag).u16(uint16(len(extra))), extra...)
		}
		b := le(nil).u32(sigCentre).u16(e.version()).u16(e.version()).u16(e.flags()).u16(0).u16(z.time).u16(z.date).
			u32(e.crc).u32(clamp32(e.size)).u32(clamp32(e.size)).
			u16(uint16(len(e.name))).u16(uint16(len(extra))).u16(0).u16(0).u16(0).u32(0).u32(clamp32(e.off))
		b = append(append(b, e.name...), extra...)
		if err := z.write("central directory record", b); err != nil {
			return err
		}
	}
	z.where = ""
	end := uint64(z.off)
	n, size := uint64(len(z.cd)), end-start
	if n >= 0xffff || size >= u32max || start >= u32max {
		b := le(nil).u32(sigEnd64).u64(44).u16(zipV45).u16(zipV45).u32(0).u32(0).u64(n).u64(n).u64(size).u64(start).
			u32(sigLoc64).u32(0).u64(end).u32(1)
		if err := z.write("zip64 end of central directory", b); err != nil {
			return err
		}
	}
	n16 := uint16(min(n, 0xffff))
	b := le(nil).u32(sigEnd).u16(0).u16(0).u16(n16).u16(n16).u32(clamp32(size)).u32(clamp32(start)).u16(0)
	return z.write("end of central directory", b)
}

// fixedEntry is an entry held in memory.
type fixedEntry struct {
	name string
	body []byte
}

// errLayout stops the layout check at the first byte that differs.
var errLayout = errors.New("evpack: layout differs")

// layoutCheck is the writer Verify gives zipOut: it reads the package from
// the start and compares each byte zipOut would write with the one there.
type layoutCheck struct {
	r    io.ReaderAt
	size int64
	pos  int64
	z    *zipOut
	buf  []byte
	bad  *Problem
}

func (c *layoutCheck) Write(p []byte) (int, error) {
	for done := 0; done < len(p); {
		chunk := p[done:min(len(p), done+len(c.buf))]
		got := c.buf[:len(chunk)]
		n, _ := c.r.ReadAt(got, c.pos)
		for i := range chunk {
			if i >= n || got[i] != chunk[i] {
				c.fail(c.pos + int64(i))
				return done + i, errLayout
			}
		}
		c.pos += int64(len(chunk))
		done += len(chunk)
	}
	return len(p), nil
}

func (c *layoutCheck) fail(at int64) {
	subject := c.z.where
	if subject == "" {
		subject = "zip structure"
	}
	detail := fmt.Sprintf("offset %d: the %s is not as written", at, c.z.part)
	if at >= c.size {
		detail = fmt.Sprintf("offset %d: the package ends in the %s", at, c.z.part)
	}
	c.bad = &Problem{Kind: KindZip, Subject: subject, Detail: detail}
}

// checkLayout regenerates the package's ZIP around its contents and names
// the first byte that differs, or bytes after the end. Files' contents are
// skipped (Verify hashes them through the ZIP reader), their CRC taken from
// the central directory as the reader read it: the reader checks both the
// content and the data descriptor against that CRC.
func checkLayout(rep *Report, r io.ReaderAt, size int64, m *Manifest, fixed []fixedEntry, crcs map[string]uint32) {
	c := &layoutCheck{r: r, size: size, buf: make([]byte, 32<<10)}
	z := newZipOut(c, m.CreatedAt)
	c.z = z
	err := func() error {
		for _, e := range fixed {
			if err := z.put(e.name, e.body); err != nil {
				return err
			}
		}
		for _, f := range m.Files {
			if err := z.begin(f.Path, f.Size); err != nil {
				return err
			}
			if f.Size > size-c.pos {
				z.part = "content"
				c.fail(size)
				return errLayout
			}
			c.pos += f.Size
			z.off += f.Size
			if err := z.end(crcs[f.Path]); err != nil {
				return err
			}
		}
		return z.close()
	}()
	switch {
	case c.bad != nil:
		rep.add(*c.bad)
	case err != nil:
		rep.add(Problem{Kind: KindZip, Subject: "zip structure", Detail: err.Error()})
	case c.pos != size:
		rep.add(Problem{Kind: KindZip, Subject: "zip structure", Detail: fmt.Sprintf("offset %d: %d bytes after the end of central directory", c.pos, size-c.pos)})
	}
}
