package evpack

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// BenchmarkHashSHA256SM3 is the one-pass hashing of evidence files on one
// core: each block goes to SHA-256 and then to SM3 on the same goroutine.
// Besides wall-clock MB/s it reports MB per CPU second of the process
// (MB/cpu-s), which other load on a shared machine does not lower.
func BenchmarkHashSHA256SM3(b *testing.B) {
	buf := make([]byte, 1<<20)
	rand.Read(buf)
	h := NewHasher()
	b.SetBytes(int64(len(buf)))
	cpu0 := cpuTime()
	for b.Loop() {
		h.Write(buf)
	}
	b.ReportMetric(float64(b.N)*float64(len(buf))/1e6/(cpuTime()-cpu0).Seconds(), "MB/cpu-s")
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSHA256 and BenchmarkSM3 are the two hashes alone.
func BenchmarkSHA256(b *testing.B) { benchHash(b, sha256.New().Write) }

// BenchmarkSM3 is github.com/emmansun/gmsm/sm3 (assembly on amd64 and arm64).
func BenchmarkSM3(b *testing.B) { benchHash(b, sm3.New().Write) }

func benchHash(b *testing.B, write func([]byte) (int, error)) {
	buf := make([]byte, 1<<20)
	rand.Read(buf)
	b.SetBytes(int64(len(buf)))
	cpu0 := cpuTime()
	for b.Loop() {
		write(buf)
	}
	b.ReportMetric(float64(b.N)*float64(len(buf))/1e6/(cpuTime()-cpu0).Seconds(), "MB/cpu-s")
}

// gen is generated content: a random block repeated, each copy stamped
// with its offset, so files differ and nothing compresses to nothing.
type gen struct {
	block []byte
	off   int64
	size  int64
}

func (g *gen) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && g.off < g.size {
		i := int(g.off % int64(len(g.block)))
		c := copy(p[n:], g.block[i:])
		c = int(min(int64(c), g.size-g.off))
		if i == 0 && c >= 8 {
			copy(p[n:], strconv.AppendInt(nil, g.off+g.size, 16))
		}
		n += c
		g.off += int64(c)
	}
	return n, nil
}

// BenchmarkExportVerify writes and verifies a package of generated files
// (2 GiB in 8 files; YINGJI_EVPACK_BENCH_MIB sets another total) through a
// file on disk, and reports each side's MB/s and the process's peak RSS.
// Run it alone, once:
//
//	go test -run '^$' -bench ExportVerify -benchtime 1x ./internal/evpack
func BenchmarkExportVerify(b *testing.B) {
	total := int64(2 << 30)
	if s := os.Getenv("YINGJI_EVPACK_BENCH_MIB"); s != "" {
		mib, _ := strconv.ParseInt(s, 10, 64)
		total = mib << 20
	}
	const nfiles = 8
	block := make([]byte, 1<<20)
	rand.Read(block)
	open := func(i int) io.Reader {
		return &gen{block: block[: len(block)-i*4099 : len(block)-i*4099], size: total / nfiles}
	}
	m := &Manifest{Installation: "bench", CreatedBy: "bench", Incident: Incident{Number: "B-1", Title: "benchmark"}}
	byHash := map[string]int{}
	buf := make([]byte, 1<<20)
	for i := range nfiles {
		h := NewHasher()
		copyHashed(nil, open(i), h, buf)
		size, sha, sm := h.Sums()
		byHash[sha] = i
		m.Files = append(m.Files, File{Path: FilesDir + sha, Name: fmt.Sprintf("part-%d.bin", i), Size: size, SHA256: sha, SM3: sm})
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	path := filepath.Join(b.TempDir(), "pkg.zip")
	var exportNs, verifyNs, exportCPU, verifyCPU time.Duration
	b.ResetTimer()
	for b.Loop() {
		start, cpu0 := time.Now(), cpuTime()
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		err = Write(w, m, func(sha string) (io.ReadCloser, error) { return io.NopCloser(open(byHash[sha])), nil }, key)
		if err == nil {
			err = w.Flush()
		}
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		exportNs, exportCPU = exportNs+time.Since(start), exportCPU+cpuTime()-cpu0

		start, cpu0 = time.Now(), cpuTime()
		f, err = os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		fi, _ := f.Stat()
		rep, err := Verify(f, fi.Size(), key.Public().(ed25519.PublicKey))
		f.Close()
		if err != nil || !rep.OK() || rep.Bytes != total/nfiles*nfiles {
			b.Fatalf("verify: %v %+v", err, rep)
		}
		verifyNs, verifyCPU = verifyNs+time.Since(start), verifyCPU+cpuTime()-cpu0
	}
	mb := float64(total) / 1e6 * float64(b.N)
	b.ReportMetric(mb/exportNs.Seconds(), "export_MB/s")
	b.ReportMetric(mb/verifyNs.Seconds(), "verify_MB/s")
	b.ReportMetric(mb/exportCPU.Seconds(), "export_MB/cpu-s")
	b.ReportMetric(mb/verifyCPU.Seconds(), "verify_MB/cpu-s")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peakRSS_MiB")
}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
