package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
)

// checkFile walks a bbolt file's page tree with plain reads before bbolt maps
// it. bbolt trusts its pages: a child that points at its own page loops until
// memory runs out, a count past the page reads beyond the map, a freelist
// page that claims a live page hands it out twice. Those end the process
// (stack overflow, out of memory) where recover cannot help, so every page
// bbolt would follow is checked here first: in range, inside the file, of
// the right type, referenced once, not also free; element offsets inside
// their page; and Pagedeck's own records decodable.
//
// The layout mirrors bbolt's (go.etcd.io/bbolt/internal/common), which is
// its file format and stable; every platform Pagedeck runs on is little
// endian, as bbolt's unsafe casts assume.
func checkFile(path string, pages map[string][]uint64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	c := &checker{f: f, size: fi.Size(), pages: pages}
	m, err := c.meta()
	if err != nil {
		return err
	}
	return c.walk(m)
}

const (
	bMagic           = 0xED0CDAED
	bVersion         = 2
	pageHeaderSize   = 16
	elementSize      = 16 // branch and leaf elements alike
	bucketHeaderSize = 16
	metaSize         = 64
	flagBranch       = 0x01
	flagLeaf         = 0x02
	flagMeta         = 0x04
	flagFreelist     = 0x10
	flagBucketLeaf   = 0x01
	noFreelist       = ^uint64(0)
	maxTreeDepth     = 32 // a B+tree of 2^32 pages is far shallower
	maxBucketDepth   = 8  // Pagedeck nests buckets three deep (rows)
)

type meta struct {
	pageSize       uint32
	root, freelist uint64
	hwm, txid      uint64
}

type checker struct {
	f    io.ReaderAt
	size int64
	ps   int64
	hwm  uint64
	used map[uint64]bool
	free map[uint64]bool
	pool [][]byte
	// pages, when not nil, records each page by kind (for the corruption
	// tests, which need to know where the branch and freelist pages are).
	pages map[string][]uint64
	// schema is the file's schema version, read from the meta bucket,
	// which bbolt's key order walks before the rows.
	schema uint64
}

// walk checks every page reachable from header m.
func (c *checker) walk(m meta) error {
	c.ps, c.hwm = int64(m.pageSize), m.hwm
	// bbolt grows the file before it writes a header, so a file shorter
	// than the header's page count was cut.
	if m.hwm < 3 || m.hwm > uint64(c.size/c.ps) {
		return fmt.Errorf("the file is cut short: its header counts %d pages, the file holds %d", m.hwm, c.size/c.ps)
	}
	c.used = map[uint64]bool{0: true, 1: true}
	c.free = map[uint64]bool{}
	if m.freelist != noFreelist {
		if err := c.freelist(m.freelist); err != nil {
			return err
		}
	}
	return c.tree(m.root, nil, 0, 0)
}

// meta picks the header bbolt would: the valid one of the two with the
// higher transaction id.
func (c *checker) meta() (meta, error) {
	var head [pageHeaderSize + metaSize]byte
	if c.size == 0 {
		return meta{}, errors.New("the file is empty")
	}
	if _, err := c.f.ReadAt(head[:], 0); err != nil {
		return meta{}, errors.New("the file is too short to be a Pagedeck database")
	}
	m0, err0 := parseMeta(head[:])
	// The second header sits one page in; its size comes from the first,
	// or, when the first is damaged, from trying bbolt's page sizes.
	sizes := []int64{}
	if err0 == nil {
		sizes = append(sizes, int64(m0.pageSize))
	} else {
		for i := range 15 {
			sizes = append(sizes, 1024<<i)
		}
	}
	var m1 meta
	err1 := errors.New("no second header")
	for _, ps := range sizes {
		if _, err := c.f.ReadAt(head[:], ps); err != nil {
			break
		}
		if m, err := parseMeta(head[:]); err == nil && int64(m.pageSize) == ps {
			m1, err1 = m, nil
			break
		}
	}
	switch {
	case err0 == nil && err1 == nil:
		if m1.txid > m0.txid {
			return m1, nil
		}
		return m0, nil
	case err0 == nil:
		return m0, nil
	case err1 == nil:
		return m1, nil
	case err0 == errForeign:
		return meta{}, err0
	}
	return meta{}, fmt.Errorf("neither header is valid (%v)", err0)
}

var errForeign = errors.New("it is not a Pagedeck database")

func parseMeta(b []byte) (meta, error) {
	le := binary.LittleEndian
	if le.Uint16(b[8:]) != flagMeta {
		return meta{}, errForeign
	}
	mb := b[pageHeaderSize:]
	if le.Uint32(mb) != bMagic {
		return meta{}, errForeign
	}
	if v := le.Uint32(mb[4:]); v != bVersion {
		return meta{}, fmt.Errorf("unknown database version %d", v)
	}
	h := fnv.New64a()
	h.Write(mb[:56])
	if h.Sum64() != le.Uint64(mb[56:]) {
		return meta{}, errors.New("header checksum mismatch")
	}
	m := meta{pageSize: le.Uint32(mb[8:]), root: le.Uint64(mb[16:]), freelist: le.Uint64(mb[32:]), hwm: le.Uint64(mb[40:]), txid: le.Uint64(mb[48:])}
	if m.pageSize < 1024 || m.pageSize > 1<<16 || m.pageSize&(m.pageSize-1) != 0 {
		return meta{}, fmt.Errorf("page size %d", m.pageSize)
	}
	return m, nil
}

// page reads page id with its overflow pages and claims them. The buffer
// goes back with c.put once the page is done with.
func (c *checker) page(id uint64, want ...uint16) ([]byte, error) {
	if id < 2 || id >= c.hwm {
		return nil, fmt.Errorf("page %d is out of range (%d pages)", id, c.hwm)
	}
	at := int64(id) * c.ps
	if at+c.ps > c.size {
		return nil, fmt.Errorf("page %d is past the end of the file", id)
	}
	b := c.get(c.ps)
	if _, err := c.f.ReadAt(b, at); err != nil {
		c.put(b)
		return nil, fmt.Errorf("reading page %d: %w", id, err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(b); got != id {
		c.put(b)
		return nil, fmt.Errorf("page %d says it is page %d", id, got)
	}
	if flags := le.Uint16(b[8:]); !slices.Contains(want, flags) {
		c.put(b)
		kind := "freelist"
		if want[0] != flagFreelist {
			kind = "branch or leaf"
		}
		return nil, fmt.Errorf("page %d should be a %s page but has type %#x", id, kind, flags)
	}
	over := uint64(le.Uint32(b[12:]))
	span := int64(over+1) * c.ps
	if id+over >= c.hwm || at+span > c.size {
		c.put(b)
		return nil, fmt.Errorf("page %d runs past the last page", id)
	}
	for i := id; i <= id+over; i++ {
		if c.used[i] || c.free[i] {
			c.put(b)
			if c.free[i] {
				return nil, fmt.Errorf("page %d is both in use and free", i)
			}
			return nil, fmt.Errorf("page %d is used twice", i)
		}
		c.used[i] = true
	}
	if over > 0 {
		big := append(c.get(span)[:0], b...)[:span]
		c.put(b)
		b = big
		if _, err := c.f.ReadAt(b[c.ps:], at+c.ps); err != nil {
			c.put(b)
			return nil, fmt.Errorf("reading page %d: %w", id, err)
		}
	}
	return b, nil
}

func (c *checker) get(n int64) []byte {
	for i := len(c.pool) - 1; i >= 0; i-- {
		if b := c.pool[i]; int64(cap(b)) >= n {
			c.pool = slices.Delete(c.pool, i, i+1)
			return b[:n]
		}
	}
	return make([]byte, n)
}

func (c *checker) put(b []byte) { c.pool = append(c.pool, b) }

func (c *checker) note(kind string, id uint64) {
	if c.pages != nil {
		c.pages[kind] = append(c.pages[kind], id)
	}
}

func (c *checker) freelist(id uint64) error {
	b, err := c.page(id, flagFreelist)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	defer c.put(b)
	c.note("freelist", id)
	le := binary.LittleEndian
	n, at := uint64(le.Uint16(b[10:])), int64(pageHeaderSize)
	if n == 0xFFFF {
		n, at = le.Uint64(b[pageHeaderSize:]), pageHeaderSize+8
	}
	if n > uint64(len(b)-int(at))/8 {
		return fmt.Errorf("freelist: %d entries do not fit its page", n)
	}
	for i := range n {
		p := le.Uint64(b[at+int64(i)*8:])
		if p < 2 || p >= c.hwm {
			return fmt.Errorf("freelist: page %d is out of range", p)
		}
		if c.free[p] || c.used[p] {
			return fmt.Errorf("freelist: page %d is listed twice", p)
		}
		c.free[p] = true
	}
	return nil
}

// tree checks the B+tree under page id, which belongs to the bucket at path.
func (c *checker) tree(id uint64, path []string, depth, buckets int) error {
	if depth > maxTreeDepth {
		return fmt.Errorf("page %d: the tree is deeper than %d", id, maxTreeDepth)
	}
	b, err := c.page(id, flagBranch, flagLeaf)
	if err != nil {
		return err
	}
	defer c.put(b)
	le := binary.LittleEndian
	if le.Uint16(b[8:]) == flagLeaf {
		c.note("leaf", id)
		return c.leaf(b, path, buckets)
	}
	c.note("branch", id)
	n := int(le.Uint16(b[10:]))
	if n == 0 || pageHeaderSize+n*elementSize > len(b) {
		return fmt.Errorf("branch page %d: %d elements do not fit", id, n)
	}
	for i := range n {
		e := pageHeaderSize + i*elementSize
		pos, ksize := int(le.Uint32(b[e:])), int(le.Uint32(b[e+4:]))
		if e+pos+ksize > len(b) {
			return fmt.Errorf("branch page %d: element %d points outside the page", id, i)
		}
		if err := c.tree(le.Uint64(b[e+8:]), path, depth+1, buckets); err != nil {
			return err
		}
	}
	return nil
}

// leaf checks a leaf page (from the file, or inline in its bucket's value):
// its elements, the sub-buckets they hold, and Pagedeck's records.
func (c *checker) leaf(b []byte, path []string, buckets int) error {
	le := binary.LittleEndian
	if len(b) < pageHeaderSize {
		return errors.New("an inline bucket is too short")
	}
	id := le.Uint64(b)
	n := int(le.Uint16(b[10:]))
	if pageHeaderSize+n*elementSize > len(b) {
		return fmt.Errorf("leaf page %d: %d elements do not fit", id, n)
	}
	for i := range n {
		e := pageHeaderSize + i*elementSize
		flags := le.Uint32(b[e:])
		pos, ksize, vsize := uint64(le.Uint32(b[e+4:])), uint64(le.Uint32(b[e+8:])), uint64(le.Uint32(b[e+12:]))
		if uint64(e)+pos+ksize+vsize > uint64(len(b)) {
			return fmt.Errorf("leaf page %d: element %d points outside the page", id, i)
		}
		k := b[uint64(e)+pos : uint64(e)+pos+ksize]
		v := b[uint64(e)+pos+ksize : uint64(e)+pos+ksize+vsize]
		if flags&flagBucketLeaf == 0 {
			if len(path) == 1 && path[0] == string(bucketMeta) && string(k) == string(keySchema) && len(v) == 8 {
				c.schema = binary.BigEndian.Uint64(v)
			}
			if err := c.checkRecord(path, k, v); err != nil {
				return err
			}
			continue
		}
		if err := c.bucket(append(path[:len(path):len(path)], string(k)), v, buckets+1); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) bucket(path []string, v []byte, depth int) error {
	if depth > maxBucketDepth {
		return fmt.Errorf("buckets nest deeper than %d", maxBucketDepth)
	}
	if len(v) < bucketHeaderSize {
		return fmt.Errorf("bucket %q: its header is cut short", path[len(path)-1])
	}
	root := binary.LittleEndian.Uint64(v)
	if root == 0 {
		inline := v[bucketHeaderSize:]
		if len(inline) < pageHeaderSize || binary.LittleEndian.Uint16(inline[8:]) != flagLeaf {
			return fmt.Errorf("bucket %q: its inline page is damaged", path[len(path)-1])
		}
		return c.leaf(inline, path, depth)
	}
	return c.tree(root, path, 0, depth)
}

// checkRecord decodes the values whose format Pagedeck owns, so a damaged
// workspace or item is found now rather than at every later read.
func (c *checker) checkRecord(path []string, k, v []byte) error {
	switch {
	case len(path) == 1 && path[0] == string(bucketWorkspaces):
		if !json.Valid(v) {
			return fmt.Errorf("the record of workspace %q is damaged", k)
		}
	case len(path) == 2 && path[0] == string(bucketItems):
		if !validItem(v) {
			return fmt.Errorf("the record of item %q is damaged", k)
		}
	case len(path) == 2 && path[0] == string(bucketRowSources):
		if !json.Valid(v) {
			return fmt.Errorf("the record of data source %q is damaged", k)
		}
	case len(path) == 3 && path[0] == string(bucketRows) && c.schema < 4:
		if !validRowV3(v) {
			return fmt.Errorf("the record of row %q is damaged", k)
		}
	case len(path) == 3 && path[0] == string(bucketRows):
		if _, _, err := rowData(k, v); err != nil {
			return err
		}
	}
	return nil
}
