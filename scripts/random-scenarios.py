"""Random scenarios for comparing two builds of the engine (scripts/compare-engines.sh):
time zones with DST (half-hour and midnight changes among them), every pattern with
overnight and 24-hour sessions, inactive stretches, months/except, plug-ins,
subscriptions, packs that run dry, results, periods of 1 to 24 months.
Usage: python3 scripts/random-scenarios.py FIRST_SEED END_SEED OUT_DIR
Also writes, for the first 600 seeds, a copy with one session date-time altered (m*.json),
for the error messages."""
import json, random, sys
ZONES=["Europe/Paris","America/New_York","Asia/Tokyo","Europe/London","UTC","Australia/Lord_Howe","America/Santiago","America/Sao_Paulo","Asia/Kolkata","Pacific/Chatham"]
PRODUCTS=["autocad","revit","navisworks","3dsmax","maya","flame","powermill","netfabb","fusion","inventor"]
DAYS=["mon","tue","wed","thu","fri","sat","sun"]
def d(y,m,dd): return f"{y:04d}-{m:02d}-{dd:02d}"
def rdate(r,y0):
    y=y0+r.choice([-1,0,0,0,1]); m=r.randint(1,12); return y,m,r.randint(1,28 if m==2 else 30)
def hm(r, allow_odd=True):
    return f"{r.randint(0,23):02d}:{r.choice([0,15,30,45, r.randint(0,59)]):02d}"
def dt(r,y0):
    y,m,dd=rdate(r,y0); return f"{d(y,m,dd)}T{hm(r)}"
def add_min(s,mins):
    import datetime
    t=datetime.datetime.strptime(s,"%Y-%m-%dT%H:%M")+datetime.timedelta(minutes=mins)
    return t.strftime("%Y-%m-%dT%H:%M")
def usage(r,y0):
    u={"product":r.choice(PRODUCTS)}
    k=r.choice(["sessions","weekly","monthly","dates"])
    if k=="sessions":
        L=[]
        for _ in range(r.randint(1,8)):
            s=dt(r,y0)
            # around DST dates sometimes
            if r.random()<0.3:
                s=r.choice([f"{y0}-03-{r.randint(24,31):02d}",f"{y0}-10-{r.randint(24,31):02d}",f"{y0}-11-0{r.randint(1,7)}",f"{y0}-04-0{r.randint(1,7)}",f"{y0}-09-0{r.randint(1,9)}"])+"T"+hm(r)
            e=add_min(s,r.choice([1,5,6,60,300,600,1440,1500,3000]))
            ses={"start":s,"end":e}
            if r.random()<0.5:
                ina=[]
                for _ in range(r.randint(1,4)):
                    a=add_min(s,r.randint(-30,400)); b=add_min(a,r.choice([1,14,15,16,30,90]))
                    ina.append([a,b])
                ses["inactive"]=ina
            L.append(ses)
        u["sessions"]=L
    elif k=="weekly":
        u["weekly"]={"days":r.sample(DAYS,r.randint(1,7)),"from":hm(r),"to":hm(r)}
        if r.random()<0.2: u["weekly"]["to"]=u["weekly"]["from"]
    elif k=="monthly":
        u["monthly"]={"days":r.randint(1,31),"from":hm(r),"to":hm(r)}
    else:
        u["dates"]={"dates":[d(*rdate(r,y0)) for _ in range(r.randint(1,8))],"from":hm(r),"to":hm(r)}
    if r.random()<0.3: u["months"]=r.sample(range(1,13),r.randint(1,12))
    if r.random()<0.3: u["except"]=[d(*rdate(r,y0)) for _ in range(r.randint(1,5))]
    if r.random()<0.3: u["idle_detection"]=r.random()<0.5
    if r.random()<0.15: u["plugins"]=["myplugin"]
    return u
def scenario(seed):
    r=random.Random(seed)
    y0=r.choice([2026,2027,2028])
    st=d(y0,r.randint(1,12),r.choice([1,1,1,15,28,29 if y0==2028 else 28]))
    s={"flexcalc":1,"name":f"diff {seed}","currency":r.choice(["EUR","JPY","GBP"]),"timezone":r.choice(ZONES),
       "period":{"start":st,"months":r.choice([1,3,6,12,12,13,24])}}
    if r.random()<0.7:
        s["packs"]=[{"id":f"p{i}","purchased":d(*rdate(r,y0)),"tokens":r.choice([10,50,100,500,1000,3000])} for i in range(r.randint(0,4))]
    if r.random()<0.5: s["low_balance_percent"]=r.randint(0,100)
    s["offerings"]=[{"id":"revit","covers":["revit"],"annual":"3000.00","monthly":"380.00"},{"id":"aec","covers":["autocad","revit","navisworks"],"annual":"3900.00"}]
    s["catalog"]={"products":[{"id":"myplugin","name":"A plug-in","tokens_per_day":2}]}
    users=[]
    for i in range(r.randint(1,6)):
        u={"id":f"u{i}","usage":[usage(r,y0) for _ in range(r.randint(1,4))]}
        if r.random()<0.5: u["timezone"]=r.choice(ZONES)
        if r.random()<0.3:
            a=rdate(r,y0); b=rdate(r,y0)
            a,b=sorted([a,b])
            u["subscriptions"]=[{"offering":r.choice(["revit","aec"]),"from":d(*a),"to":d(*b)}]
        if r.random()<0.3:
            u["results"]=[{"service":"generative-design","at":dt(r,y0),"quantity":r.randint(1,3)}]
        users.append(u)
    s["users"]=users
    return s
def altered(s, r):
    cands = []
    for u in s["users"]:
        for us in u["usage"]:
            for se in us.get("sessions", []) or []:
                cands += [(se, "start"), (se, "end")]
    if not cands:
        return None
    se, k = r.choice(cands)
    v = list(se[k])
    v[r.randrange(len(v))] = r.choice("0123456789-:T/ xé")
    se[k] = "".join(v) + ("0" if r.random() < 0.2 else "")
    return s

a, b, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for seed in range(a, b):
    s = scenario(seed)
    json.dump(s, open(f"{out}/s{seed}.json", "w"))
    if seed < a + 600:
        m = altered(s, random.Random(seed))
        if m:
            json.dump(m, open(f"{out}/m{seed}.json", "w"))
