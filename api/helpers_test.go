package api

import "reflect"

var reflectTypeOfEcho = reflect.TypeFor[echoIn]()
