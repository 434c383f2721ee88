// Command porcupine-bench checks histories exported by lincheck's bench with Porcupine, for a
// side-by-side table of verdicts and times. It is built by `pnpm bench --porcupine <dir>` in a
// temporary directory, against a Porcupine checkout the user fetched; nothing of Porcupine is
// kept in this repository.
//
// Input (a file named on the command line): {"histories": [{"name", "model", "ops": [...]}]},
// each op {"client", "call", "ret" (null: outcome unknown, open to the end), "input", "output"
// (absent: unknown)} with inputs and outputs as lincheck's models decode them. Output: one JSON
// line per history, {"name", "verdict": "ok"|"illegal"|"unknown"|"unsupported", "ms", "cpuMs",
// "runs"}: the median time of one porcupine.CheckOperationsTimeout call, by the wall clock and
// in CPU time, over batches of runs ("runs" in all).
//
// The models follow Porcupine's own test models (the etcd register, the string key-value map
// partitioned per key) and Knossos's (multi-register, mutex); each has a Hash, so Porcupine's
// cache compares few states.
package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"sort"
	"strconv"
	"syscall"
	"time"

	"github.com/anishathalye/porcupine"
)

type rawOp struct {
	Client int              `json:"client"`
	Call   int64            `json:"call"`
	Ret    *int64           `json:"ret"`
	Input  json.RawMessage  `json:"input"`
	Output *json.RawMessage `json:"output"`
}

type rawHistory struct {
	Name      string          `json:"name"`
	Model     string          `json:"model"`
	TimeoutMs int64           `json:"timeoutMs"`
	Init      json.RawMessage `json:"init"`
	Ops       []rawOp         `json:"ops"`
}

// nilInt stands for nil in integer registers, as in Porcupine's etcd test model.
const nilInt = math.MinInt64

// value decodes a JSON value that must be an integer or null.
func intValue(raw json.RawMessage) (int64, error) {
	if string(raw) == "null" || len(raw) == 0 {
		return nilInt, nil
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not an integer: %s", raw)
	}
	return n, nil
}

// ---- registers (Porcupine's etcd model, with Knossos's unknown reads) ----

type regInput struct {
	op   uint8 // 0 read, 1 write, 2 cas
	arg1 int64
	arg2 int64
}

type regOutput struct {
	unknown bool
	ok      bool  // cas
	value   int64 // read
}

func registerModel(init int64) porcupine.Model {
	return porcupine.Model{
		Init: func() interface{} { return init },
		Step: func(state, input, output interface{}) (bool, interface{}) {
			st := state.(int64)
			in := input.(regInput)
			out := output.(regOutput)
			switch in.op {
			case 0:
				return out.unknown || out.value == st, state
			case 1:
				return true, in.arg1
			default:
				matches := in.arg1 == st
				next := st
				if matches {
					next = in.arg2
				}
				return out.unknown || matches == out.ok, next
			}
		},
		Hash: func(state interface{}) uint64 { return uint64(state.(int64)) },
	}
}

func decodeRegister(op rawOp) (interface{}, interface{}, error) {
	var in struct {
		Kind  string          `json:"kind"`
		Value json.RawMessage `json:"value"`
		From  json.RawMessage `json:"from"`
		To    json.RawMessage `json:"to"`
	}
	if err := json.Unmarshal(op.Input, &in); err != nil {
		return nil, nil, err
	}
	out := regOutput{unknown: op.Output == nil}
	switch in.Kind {
	case "read":
		if !out.unknown {
			v, err := intValue(*op.Output)
			if err != nil {
				return nil, nil, err
			}
			out.value = v
		}
		return regInput{op: 0}, out, nil
	case "write":
		v, err := intValue(in.Value)
		return regInput{op: 1, arg1: v}, out, err
	case "cas":
		from, err1 := intValue(in.From)
		to, err2 := intValue(in.To)
		if !out.unknown {
			out.ok = string(*op.Output) == "true"
		}
		if err1 != nil {
			return nil, nil, err1
		}
		return regInput{op: 2, arg1: from, arg2: to}, out, err2
	}
	return nil, nil, fmt.Errorf("register: unknown kind %q", in.Kind)
}

// ---- key-value map, one partition per key ----
//
// For histories whose values are all strings, with get, put and append only (Porcupine's own
// test data), this is Porcupine's test model exactly: a string state, "" initially. Other kv
// histories (numbers, cas) use the same model over canonical JSON text.

type kvInput struct {
	op    uint8 // 0 get, 1 put, 2 append (strings), 3 cas
	key   string
	value string // put/append value; cas: the expected value
	to    string // cas: the new value
}

type kvOutput struct {
	unknown bool
	ok      bool   // cas
	value   string // get
}

func kvModel(init string) porcupine.Model {
	return porcupine.Model{
		Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
			byKey := map[string][]porcupine.Operation{}
			var keys []string
			for _, op := range history {
				k := op.Input.(kvInput).key
				if _, seen := byKey[k]; !seen {
					keys = append(keys, k)
				}
				byKey[k] = append(byKey[k], op)
			}
			sort.Strings(keys)
			out := make([][]porcupine.Operation, 0, len(keys))
			for _, k := range keys {
				out = append(out, byKey[k])
			}
			return out
		},
		Init: func() interface{} { return init },
		Step: func(state, input, output interface{}) (bool, interface{}) {
			in := input.(kvInput)
			out := output.(kvOutput)
			st := state.(string)
			switch in.op {
			case 0:
				return out.unknown || out.value == st, state
			case 1:
				return true, in.value
			case 2:
				return true, st + in.value
			default:
				matches := st == in.value
				next := st
				if matches {
					next = in.to
				}
				return out.unknown || matches == out.ok, next
			}
		},
		Hash: func(state interface{}) uint64 {
			h := fnv.New64a()
			h.Write([]byte(state.(string)))
			return h.Sum64()
		},
	}
}

// canonical is a JSON value's text with object keys sorted and numbers in one form.
func canonical(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "null", nil
	}
	var v interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	return string(b), err
}

type kvRaw struct {
	Kind  string          `json:"kind"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
	From  json.RawMessage `json:"from"`
	To    json.RawMessage `json:"to"`
}

// kvStrings tells whether a kv history is Porcupine's kind: string values, no cas.
func kvStrings(h rawHistory) bool {
	if len(h.Init) > 0 && string(h.Init) != `""` {
		return false
	}
	isString := func(raw json.RawMessage) bool {
		var s string
		return json.Unmarshal(raw, &s) == nil
	}
	for _, op := range h.Ops {
		var in kvRaw
		if json.Unmarshal(op.Input, &in) != nil || in.Kind == "cas" {
			return false
		}
		if in.Kind != "get" && !isString(in.Value) {
			return false
		}
		if in.Kind == "get" && op.Output != nil && !isString(*op.Output) {
			return false
		}
	}
	return true
}

func kvDecoder(strings bool) decoder {
	text := func(raw json.RawMessage) (string, error) {
		if strings {
			var s string
			err := json.Unmarshal(raw, &s)
			return s, err
		}
		return canonical(raw)
	}
	return func(op rawOp) (interface{}, interface{}, error) {
		var in kvRaw
		if err := json.Unmarshal(op.Input, &in); err != nil {
			return nil, nil, fmt.Errorf("kv: %w", err)
		}
		out := kvOutput{unknown: op.Output == nil}
		var err error
		switch in.Kind {
		case "get":
			if !out.unknown {
				out.value, err = text(*op.Output)
			}
			return kvInput{op: 0, key: in.Key}, out, err
		case "put":
			v, err := text(in.Value)
			return kvInput{op: 1, key: in.Key, value: v}, out, err
		case "append":
			if !strings {
				return nil, nil, fmt.Errorf("kv: append of non-string values is not supported here")
			}
			v, err := text(in.Value)
			return kvInput{op: 2, key: in.Key, value: v}, out, err
		case "cas":
			from, err1 := text(in.From)
			to, err2 := text(in.To)
			if err1 != nil {
				return nil, nil, err1
			}
			if !out.unknown {
				out.ok = string(*op.Output) == "true"
			}
			return kvInput{op: 3, key: in.Key, value: from, to: to}, out, err2
		}
		return nil, nil, fmt.Errorf("kv: unsupported kind %q", in.Kind)
	}
}

// ---- Knossos's multi-register: atomic transactions of reads and writes over keys ----

type micro struct {
	write   bool
	key     string
	value   int64
	unknown bool // a read whose value is not known
}

// A multi-register state: keys sorted, values parallel.
type multiState struct {
	keys   string // the keys in order, NUL-separated, for equality
	values string // the values, as text, for equality
	m      map[string]int64
}

func newMultiState(m map[string]int64) multiState {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ks, vs := "", ""
	for _, k := range keys {
		ks += k + "\x00"
		vs += strconv.FormatInt(m[k], 10) + "\x00"
	}
	return multiState{ks, vs, m}
}

func multiRegisterModel(initMulti int64) porcupine.Model {
	return porcupine.Model{
		Init: func() interface{} { return newMultiState(map[string]int64{}) },
		Step: func(state, input, output interface{}) (bool, interface{}) {
			st := state.(multiState)
			txn := input.([]micro)
			m := st.m
			copied := false
			for _, mo := range txn {
				cur, ok := m[mo.key]
				if !ok {
					cur = initMulti
				}
				if !mo.write {
					if !mo.unknown && cur != mo.value {
						return false, state
					}
					continue
				}
				if !copied {
					m2 := make(map[string]int64, len(m)+1)
					for k, v := range m {
						m2[k] = v
					}
					m, copied = m2, true
				}
				m[mo.key] = mo.value
			}
			if !copied {
				return true, state
			}
			return true, newMultiState(m)
		},
		Equal: func(a, b interface{}) bool {
			x, y := a.(multiState), b.(multiState)
			return x.keys == y.keys && x.values == y.values
		},
		Hash: func(state interface{}) uint64 {
			s := state.(multiState)
			h := fnv.New64a()
			h.Write([]byte(s.keys))
			h.Write([]byte(s.values))
			return h.Sum64()
		},
	}
}

func decodeMulti(op rawOp) (interface{}, interface{}, error) {
	var in []struct {
		Kind  string           `json:"kind"`
		Key   string           `json:"key"`
		Value *json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(op.Input, &in); err != nil {
		return nil, nil, err
	}
	txn := make([]micro, len(in))
	for i, m := range in {
		txn[i] = micro{write: m.Kind == "write", key: m.Key, unknown: m.Value == nil}
		if m.Value != nil {
			v, err := intValue(*m.Value)
			if err != nil {
				return nil, nil, err
			}
			txn[i].value = v
		}
	}
	return txn, nil, nil
}

// ---- Knossos's mutex ----

var mutexModel = porcupine.Model{
	Init: func() interface{} { return false },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		held := state.(bool)
		if input.(string) == "acquire" {
			return !held, true
		}
		return held, false
	},
	Hash: func(state interface{}) uint64 {
		if state.(bool) {
			return 1
		}
		return 0
	},
}

func decodeMutex(op rawOp) (interface{}, interface{}, error) {
	var in struct {
		Kind string `json:"kind"`
	}
	err := json.Unmarshal(op.Input, &in)
	return in.Kind, nil, err
}

type decoder func(rawOp) (interface{}, interface{}, error)

func modelFor(h rawHistory) (porcupine.Model, decoder, error) {
	init := h.Init
	switch h.Model {
	case "register", "cas-register":
		v, err := intValue(init)
		return registerModel(v), decodeRegister, err
	case "kv":
		if kvStrings(h) {
			return kvModel(""), kvDecoder(true), nil
		}
		c, err := canonical(init)
		return kvModel(c), kvDecoder(false), err
	case "multi-register":
		v, err := intValue(init)
		return multiRegisterModel(v), decodeMulti, err
	case "mutex":
		if len(init) > 0 && string(init) != "null" && string(init) != "false" {
			return porcupine.Model{}, nil, fmt.Errorf("mutex: initial value %s", init)
		}
		return mutexModel, decodeMutex, nil
	}
	return porcupine.Model{}, nil, fmt.Errorf("no Porcupine model for %s", h.Model)
}

type result struct {
	Name    string  `json:"name"`
	Verdict string  `json:"verdict"`
	Ms      float64 `json:"ms"`
	CpuMs   float64 `json:"cpuMs"`
	Runs    int     `json:"runs"`
	Error   string  `json:"error,omitempty"`
}

func check(h rawHistory) result {
	model, decode, err := modelFor(h)
	if err != nil {
		return result{Name: h.Name, Verdict: "unsupported", Error: err.Error()}
	}
	ops := make([]porcupine.Operation, len(h.Ops))
	// Operations with unknown outcome return after everything else, as in Porcupine's tests.
	end := int64(0)
	for _, op := range h.Ops {
		if op.Ret != nil && *op.Ret > end {
			end = *op.Ret
		}
		if op.Call > end {
			end = op.Call
		}
	}
	for i, op := range h.Ops {
		in, out, err := decode(op)
		if err != nil {
			return result{Name: h.Name, Verdict: "unsupported", Error: err.Error()}
		}
		ret := end + 1
		if op.Ret != nil {
			ret = *op.Ret
		}
		ops[i] = porcupine.Operation{ClientId: op.Client, Input: in, Call: op.Call, Output: out, Return: ret}
	}
	timeout := time.Duration(h.TimeoutMs) * time.Millisecond
	verdict := ""
	check := func() {
		switch porcupine.CheckOperationsTimeout(model, ops, timeout) {
		case porcupine.Ok:
			verdict = "ok"
		case porcupine.Illegal:
			verdict = "illegal"
		default:
			verdict = "unknown"
		}
	}
	// A first run, a warm-up, then batches of runs, doubling until a batch takes 10 ms of CPU,
	// then five batches of that size (or, for a slow history, three); the median per-run time of
	// the batches, both by the wall clock and in CPU time of the process (the machines are
	// shared). lincheck's bench measures itself the same way.
	first := measure(1, check)
	if verdict == "unknown" {
		return result{Name: h.Name, Verdict: verdict, Ms: first.wallMs, CpuMs: first.cpuMs, Runs: 1}
	}
	// The same untimed warm-up as lincheck's (which needs it for V8's compiler): at least 30
	// runs, 100 ms of CPU time and 500 ms by the clock, at most 5,000 runs or 5 s by the clock.
	runs := 1
	warm0 := time.Now()
	cpu0 := cpuNow()
	for {
		wall := time.Since(warm0)
		if runs >= 5000 || wall >= 5*time.Second || (runs >= 30 && cpuNow()-cpu0 >= 100*time.Millisecond && wall >= 500*time.Millisecond) {
			break
		}
		check()
		runs++
	}
	size := 1
	for size < 1<<16 && measure(size, check).cpuMs*float64(size) < 10 {
		runs += size
		size *= 2
	}
	batches := 5
	if first.wallMs > 300 {
		batches = 3
	}
	var walls, cpus []float64
	for i := 0; i < batches; i++ {
		m := measure(size, check)
		walls = append(walls, m.wallMs)
		cpus = append(cpus, m.cpuMs)
	}
	sort.Float64s(walls)
	sort.Float64s(cpus)
	return result{Name: h.Name, Verdict: verdict, Ms: walls[len(walls)/2], CpuMs: cpus[len(cpus)/2], Runs: runs + size + batches*size}
}

type timing struct{ wallMs, cpuMs float64 }

// cpuNow is the CPU time the process has used so far.
func cpuNow() time.Duration {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// measure runs f size times and returns the time per run.
func measure(size int, f func()) timing {
	var r0, r1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	t0 := time.Now()
	for i := 0; i < size; i++ {
		f()
	}
	wall := time.Since(t0)
	syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	cpu := time.Duration(r1.Utime.Nano()-r0.Utime.Nano()+r1.Stime.Nano()-r0.Stime.Nano()) * time.Nanosecond
	return timing{float64(wall.Nanoseconds()) / 1e6 / float64(size), float64(cpu.Nanoseconds()) / 1e6 / float64(size)}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: porcupine-bench <histories.json>")
		os.Exit(1)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var input struct {
		Histories []rawHistory `json:"histories"`
	}
	if err := json.Unmarshal(data, &input); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	for _, h := range input.Histories {
		if err := enc.Encode(check(h)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
