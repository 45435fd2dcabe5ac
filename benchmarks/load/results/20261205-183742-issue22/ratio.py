import csv,sys,statistics
rows=list(csv.DictReader(open(sys.argv[1])))
pairs=[("fasthttp4j","before-vt"),("fasthttp4j-eventloop","before-el")]
for prof in sorted(set(r['profile'] for r in rows)):
    by={}
    for r in rows:
        if r['profile']==prof: by[(r['contender'],r['repeat'])]=r
    reps=sorted(set(r['repeat'] for r in rows if r['profile']==prof), key=int)
    for after,before in pairs:
        if not any(k[0]==after for k in by): continue
        ratios=[float(by[(after,k)]['cpu_us_per_req'])/float(by[(before,k)]['cpu_us_per_req']) for k in reps if (after,k) in by and (before,k) in by]
        a=[float(by[(after,k)]['cpu_us_per_req']) for k in reps if (after,k) in by]
        b=[float(by[(before,k)]['cpu_us_per_req']) for k in reps if (before,k) in by]
        fl=[float(by[('floor',k)]['cpu_us_per_req']) for k in reps if ('floor',k) in by]
        ba=[int(by[(after,k)]['bytes_per_req']) for k in reps if (after,k) in by]
        bb=[int(by[(before,k)]['bytes_per_req']) for k in reps if (before,k) in by]
        print(f"{prof:10s} {after:22s} after {statistics.median(a):.3f} before {statistics.median(b):.3f} floor {statistics.median(fl):.3f} | after/before median {statistics.median(ratios):.3f} [{min(ratios):.3f}-{max(ratios):.3f}] n={len(ratios)} | B/req {statistics.median(ba)} vs {statistics.median(bb)}")
