#!/usr/bin/env python3
"""Which crates the shipped wasm's gzip bytes come from.

Splits the code section of a wasm that still has its function names into groups by the
crate in each function's name (svcplay-core by module, svcplay-web as a whole, yew, core,
alloc, ...) and gzips each group's bodies on its own; the data section is reported
apart. Inlining moves code into its caller, so a group holds what was inlined into it
(our components' views live inside yew's lifecycle functions, our closures inside
core/alloc generics): read the table as "where the bytes sit", not "whose fault".

Usage (see BENCHMARKS.md, "Release size"):
  cargo build --release --target wasm32-unknown-unknown -p svcplay-web
  wasm-bindgen --target web --keep-debug --out-dir /tmp/sz target/wasm32-unknown-unknown/release/svcplay-web.wasm
  node_modules/.bin/wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      /tmp/sz/svcplay-web_bg.wasm -o /tmp/sz/named.wasm
  python3 tests/bench/size_groups.py /tmp/sz/named.wasm
(The explicit feature list keeps wasm-opt from writing the compact import encoding,
which this reader does not parse.)
"""
import sys, re, zlib, collections
b=open(sys.argv[1],'rb').read()
def leb(b,i):
    r=0;s=0
    while True:
        x=b[i];i+=1;r|=(x&0x7f)<<s;s+=7
        if x<0x80: return r,i
i=8; sections=[]
while i<len(b):
    sid=b[i];i+=1;size,i=leb(b,i); sections.append((sid,i,size)); i+=size
nimp=0; bodies=[]; names={}; data=b''
for sid,off,size in sections:
    if sid==2:
        n,j=leb(b,off)
        for _ in range(n):
            l,j=leb(b,j); j+=l; l,j=leb(b,j); j+=l
            kind=b[j]; j+=1
            if kind==0: _,j=leb(b,j); nimp+=1
            elif kind==1: j+=1; fl,j=leb(b,j); _,j=leb(b,j); 
            elif kind==2:
                fl,j=leb(b,j); _,j=leb(b,j)
                if fl&1: _,j=leb(b,j)
            elif kind==3: j+=2
    elif sid==10:
        n,j=leb(b,off)
        for k in range(n):
            l,j=leb(b,j); bodies.append(b[j:j+l]); j+=l
    elif sid==11:
        data=b[off:off+size]
    elif sid==0:
        l,j=leb(b,off); nm=b[j:j+l]; j+=l
        if nm==b'name':
            end=off+size
            while j<end:
                sub=b[j]; j+=1; sl,j=leb(b,j); se=j+sl
                if sub==1:
                    n,k=leb(b,j)
                    for _ in range(n):
                        idx,k=leb(b,k); l,k=leb(b,k); names[idx]=b[k:k+l].decode('utf8','replace'); k+=l
                j=se

pat=re.compile(r'(svcplay_core::\w+|svcplay_web::\w+|yaml_serde|libyaml_rs|serde_core|serde|miniz_oxide|yew|web_sys|js_sys|wasm_bindgen|dlmalloc|rand_chacha|sha2|hashbrown|indexmap|implicit_clone|core|alloc|std)\b')
groups=collections.defaultdict(list)
for k,body in enumerate(bodies):
    name=names.get(nimp+k,'?')
    m=pat.search(name)
    g=m.group(1) if m else 'other'
    if g.startswith('svcplay_core'): g='core-sim:'+g.split('::')[1]
    if g.startswith('svcplay_web'): g='web-ui'
    groups[g].append(body)
allcode=b''.join(bodies)
print('code raw',len(allcode),'gz',len(zlib.compress(allcode,9)),'data raw',len(data),'gz',len(zlib.compress(data,9)))
rows=[]
for g,bs in groups.items():
    c=b''.join(bs); rows.append((len(zlib.compress(c,9)),len(c),g))
rows.sort(reverse=True)
tot=0
for gz,raw,g in rows[:40]:
    tot+=gz; print(f"{gz:8d} {raw:9d} {g}")
print('sum of separately gzipped groups', sum(r[0] for r in rows))
