package annotate

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language tcpnote writes its notes in.
type Lang uint8

// The languages.
const (
	English Lang = iota
	Chinese
)

// String returns the language's code, as --lang takes it.
func (l Lang) String() string {
	if l == Chinese {
		return "zh"
	}
	return "en"
}

var supported = []language.Tag{language.English, language.Chinese}

var matcher = language.NewMatcher(supported)

// ParseLang reads a --lang value: a BCP 47 tag such as en, zh, zh-CN,
// zh-Hans, en-GB.
func ParseLang(s string) (Lang, error) {
	tag, err := language.Parse(s)
	if err != nil {
		return English, fmt.Errorf("unknown language %q (want en or zh)", s)
	}
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		return English, fmt.Errorf("no notes in language %q (want en or zh)", s)
	}
	return Lang(i), nil
}

// LangFromEnv picks the language the way POSIX locales do: the first of
// LC_ALL, LC_MESSAGES and LANG that is set decides; C, POSIX and unknown
// locales give English. getenv is os.Getenv in production.
func LangFromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		loc := getenv(v)
		if loc == "" {
			continue
		}
		// zh_CN.UTF-8@latin → zh-CN
		if i := strings.IndexAny(loc, ".@"); i >= 0 {
			loc = loc[:i]
		}
		loc = strings.ReplaceAll(loc, "_", "-")
		if loc == "C" || loc == "POSIX" {
			return English
		}
		tag, err := language.Parse(loc)
		if err != nil {
			return English
		}
		_, i, conf := matcher.Match(tag)
		if conf == language.No {
			return English
		}
		return Lang(i)
	}
	return English
}
