// Package jsonpos finds where a JSON path such as
// "containerDefinitions[0].portMappings[1].hostPort" is written in the text
// of a JSON document, as a 1-based line and column, so that commands that
// check documents (validate, lint) point at the same place in the file.
package jsonpos
