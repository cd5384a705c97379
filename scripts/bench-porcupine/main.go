// bench-porcupine checks atomix-test's JSON Lines histories with Porcupine
// (github.com/anishathalye/porcupine), with models equivalent to atomix-test's
// cas-register and kv (partitioned by key), for scripts/bench. Fail operations
// are left out, info operations return at +infinity and info reads are left
// out, as atomix-test does. Prints one line per file: verdict, seconds.
//
// Usage: bench-porcupine FILE...  (one model handles both: a cas-register is a key-less kv)
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
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

// A value as canonical JSON text; "null" is unset.
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
		return "null"
	}
	var v interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		panic(err)
	}
	out, _ := json.Marshal(v)
	return string(out)
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
		return true, "null"
	case "append":
		var current, suffix string
		if state != "null" {
			json.Unmarshal([]byte(state), &current)
		}
		json.Unmarshal([]byte(in.arg1), &suffix)
		next, _ := json.Marshal(current + suffix)
		return true, string(next)
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
	Init: func() interface{} { return "null" },
	Step: func(state, in, out interface{}) (bool, interface{}) {
		return stepRegister(state.(string), in.(input), out.(output))
	},
	Equal: func(a, b interface{}) bool { return a.(string) == b.(string) },
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

func main() {
	args := os.Args[1:]
	timeout := 300 * time.Second
	for _, path := range args {
		start := time.Now()
		ops := readOperations(path)
		result, _ := porcupine.CheckOperationsVerbose(model, ops, timeout)
		verdict := map[porcupine.CheckResult]string{
			porcupine.Ok: "linearizable", porcupine.Illegal: "not-linearizable", porcupine.Unknown: "unknown",
		}[result]
		fmt.Printf("%s %s %.3f\n", path, verdict, time.Since(start).Seconds())
	}
}
