package main

// Porcupine's own test data (its repository's test_data/) as atomix-test's
// JSON Lines, so that both checkers read the same files: the kv histories
// (one EDN map a line) and the Jepsen etcd logs
// ("INFO  jepsen.util - 3	:ok	:cas	[1 4]").

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

var (
	ednLine    = regexp.MustCompile(`^\{:process (\d+), :type :(\w+), :f :(\w+), :key "([^"]*)", :value (nil|"[^"]*")\}$`)
	jepsenLine = regexp.MustCompile(`^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(\w+)\s+:(\w+)\s+(.*)$`)
)

type converted struct {
	Process int         `json:"process"`
	Type    string      `json:"type"`
	F       string      `json:"f"`
	Key     *string     `json:"key,omitempty"`
	Value   interface{} `json:"value"`
}

// A Jepsen value: nil, an integer, [a b], or a keyword (:timed-out).
func jepsenValue(text string) interface{} {
	text = strings.TrimSpace(text)
	switch {
	case text == "nil":
		return nil
	case strings.HasPrefix(text, ":"):
		return text[1:]
	case strings.HasPrefix(text, "["):
		var pair []interface{}
		for _, field := range strings.Fields(strings.Trim(text, "[]")) {
			pair = append(pair, jepsenValue(field))
		}
		return pair
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		panic("unexpected value " + text)
	}
	return n
}

func convert(path string) {
	file, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer file.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<26)
	for scanner.Scan() {
		line := scanner.Text()
		var event converted
		if m := ednLine.FindStringSubmatch(line); m != nil {
			event.Process, _ = strconv.Atoi(m[1])
			event.Type, event.F, event.Key = m[2], m[3], &m[4]
			if m[5] != "nil" {
				event.Value = strings.Trim(m[5], `"`)
			}
		} else if m := jepsenLine.FindStringSubmatch(line); m != nil {
			event.Process, _ = strconv.Atoi(m[1])
			event.Type, event.F, event.Value = m[2], m[3], jepsenValue(m[4])
		} else {
			continue // the logs' other lines
		}
		text, _ := json.Marshal(event)
		fmt.Fprintln(out, string(text))
	}
	if err := scanner.Err(); err != nil {
		panic(err)
	}
}
