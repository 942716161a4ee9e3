package main

import "github.com/ecssim/ecssim/internal/jsonpos"

// The validate and lint commands locate JSON paths with package jsonpos;
// these names keep their call sites short.

func locate(doc []byte, path string) (line, col int) { return jsonpos.Locate(doc, path) }

func lineCol(doc []byte, off int) (line, col int) { return jsonpos.LineCol(doc, off) }

func valueStart(doc []byte, off int) int { return jsonpos.ValueStart(doc, off) }
