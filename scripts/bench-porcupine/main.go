// bench-porcupine checks atomix-test's JSON Lines histories with Porcupine
// (github.com/anishathalye/porcupine), with models equivalent to atomix-test's
// cas-register and kv (partitioned by key), for scripts/bench. Fail operations
// are left out, info operations return at +infinity and info reads are left
// out, as atomix-test does. Prints one line per file: verdict, seconds; then
// the total, all files checked in this one process.
//
// Usage:
//
//	bench-porcupine [-mode default|exhaustive] [-timeout 60s] [-initial JSON] FILE...
//	bench-porcupine convert FILE    # Porcupine's own test data to JSON Lines
//
// One model handles both: a cas-register is a key-less kv. -mode default is
// CheckOperationsTimeout (stops at the first partition found illegal);
// exhaustive is CheckOperationsVerbose (decides every partition).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

type event struct {
	Process json.RawMessage `json:"process"`
	Type    string          `json:"type"`
	F       string          `json:"f"`
	Key     *string         `json:"key"`
	Value   json.RawMessage `json:"value"`
}

// A value as a Go string: "s" and the text for a JSON string (so that an
// append is one concatenation, as in Porcupine's own kv model), else "j" and
// canonical JSON text; "jnull" is unset.
type input struct {
	op   string
	key  string
	arg1 string
	arg2 string
	info bool
}

type output struct {
	value string
}

func canonical(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "jnull"
	}
	var v interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		panic(err)
	}
	if text, ok := v.(string); ok {
		return "s" + text
	}
	out, _ := json.Marshal(v)
	return "j" + string(out)
}

func pair(raw json.RawMessage) (string, string) {
	var v []json.RawMessage
	if err := json.Unmarshal(raw, &v); err != nil || len(v) != 2 {
		panic("cas value is not [old new]")
	}
	return canonical(v[0]), canonical(v[1])
}

func stepRegister(state string, in input, out output) (bool, string) {
	switch in.op {
	case "read", "get":
		return out.value == state, state
	case "write", "put":
		return true, in.arg1
	case "remove":
		return true, "jnull"
	case "append":
		if state == "jnull" {
			return true, in.arg1
		}
		if state[0] != 's' || in.arg1[0] != 's' {
			return in.info, state // appending to a number: impossible
		}
		return true, state + in.arg1[1:]
	case "cas":
		if state == in.arg1 {
			return true, in.arg2
		}
		return in.info, state
	}
	panic("unknown op " + in.op)
}

var model = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		for _, op := range history {
			key := op.Input.(input).key
			byKey[key] = append(byKey[key], op)
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, byKey[k])
		}
		return parts
	},
	Init: func() interface{} { return initial },
	Step: func(state, in, out interface{}) (bool, interface{}) {
		return stepRegister(state.(string), in.(input), out.(output))
	},
	Equal: func(a, b interface{}) bool { return a.(string) == b.(string) },
	// As Porcupine's own kv model: its cache then finds a state by hash.
	Hash: func(state interface{}) uint64 {
		h := fnv.New64a()
		h.Write([]byte(state.(string)))
		return h.Sum64()
	},
}

func readOperations(path string) []porcupine.Operation {
	file, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<26)
	type pending struct {
		in   input
		call int64
	}
	open := map[string]pending{}
	var ops []porcupine.Operation
	var position int64
	for scanner.Scan() {
		position++
		var e event
		if err := json.Unmarshal(scanner.Bytes(), &e); err != nil {
			panic(err)
		}
		process := string(e.Process)
		if process == `"nemesis"` {
			continue
		}
		if e.Type == "invoke" {
			in := input{op: e.F}
			if e.Key != nil {
				in.key = *e.Key
			}
			if e.F == "cas" {
				in.arg1, in.arg2 = pair(e.Value)
			} else {
				in.arg1 = canonical(e.Value)
			}
			open[process] = pending{in, position}
			continue
		}
		p := open[process]
		delete(open, process)
		isRead := p.in.op == "read" || p.in.op == "get"
		switch e.Type {
		case "fail":
		case "info":
			if !isRead {
				p.in.info = true
				ops = append(ops, porcupine.Operation{Input: p.in, Call: p.call, Return: math.MaxInt64, Output: output{}})
			}
		case "ok":
			ops = append(ops, porcupine.Operation{Input: p.in, Call: p.call, Return: position, Output: output{canonical(e.Value)}})
		}
	}
	if err := scanner.Err(); err != nil {
		panic(err)
	}
	for _, p := range open {
		if p.in.op != "read" && p.in.op != "get" {
			p.in.info = true
			ops = append(ops, porcupine.Operation{Input: p.in, Call: p.call, Return: math.MaxInt64, Output: output{}})
		}
	}
	return ops
}

// The initial value of every key, as values are held ("jnull": unset).
var initial = "jnull"

func main() {
	if len(os.Args) == 3 && os.Args[1] == "convert" {
		convert(os.Args[2])
		return
	}
	mode := flag.String("mode", "default", "default (stop at the first illegal partition) or exhaustive")
	timeout := flag.Duration("timeout", 300*time.Second, "give up (unknown) after this long, per file")
	initialFlag := flag.String("initial", "null", "the initial value of every key, as JSON")
	flag.Parse()
	initial = canonical(json.RawMessage(*initialFlag))
	began := time.Now()
	for _, path := range flag.Args() {
		start := time.Now()
		ops := readOperations(path)
		var result porcupine.CheckResult
		if *mode == "exhaustive" {
			result, _ = porcupine.CheckOperationsVerbose(model, ops, *timeout)
		} else {
			result = porcupine.CheckOperationsTimeout(model, ops, *timeout)
		}
		verdict := map[porcupine.CheckResult]string{
			porcupine.Ok: "linearizable", porcupine.Illegal: "not-linearizable", porcupine.Unknown: "unknown",
		}[result]
		fmt.Printf("%s %s %.3f\n", path, verdict, time.Since(start).Seconds())
	}
	fmt.Printf("total %d %.3f\n", len(flag.Args()), time.Since(began).Seconds())
}
