# Puts each locked requirement on one line with its hashes ("name==version --hash=… --hash=…"), as pip reads
# it: pip-compile writes the hashes on continuation lines, which read as unpinned lines to a line-by-line check.
{
    line = $0
    if (continued) sub(/^ +/, "", line)
    if (line ~ /\\$/) { sub(/ *\\$/, "", line); printf "%s ", line; continued = 1 }
    else { print line; continued = 0 }
}
