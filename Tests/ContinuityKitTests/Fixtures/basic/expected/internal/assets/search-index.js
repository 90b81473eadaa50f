/* The search index of the internal site: internal and confidential. */
var continuitySearchIndex = {
"version": 1,
"kinds": ["Section","Scenario","Runbook","Role","Person","Site","Vendor","Page"],
"docs": [
[0,"Contact directory","people.html","3 people, with phone numbers"],
[0,"Continuity plan","index.html","3 runbooks · 1 scenario"],
[0,"Roles","roles.html","2 emergency roles, with primary and alternates"],
[0,"Sites","sites.html","2 sites, with their alternates"],
[0,"Vendors","vendors.html","1 vendor or third party"],
[1,"Loss of the Dock Office","scenarios/office-loss.html","Facility — The Dock Office cannot be entered (fire alarm, flood, power cut)."],
[2,"Invoicing","runbooks/invoicing.html","Tier 2 · RTO 3 d — Invoices cannot be sent. Send invoices by hand from the template. Enter the manual invoices.",[0,1,2]],
[2,"Office network","runbooks/network.html","Tier 0 · RTO 1 h — Both links down. Call Linkway and switch to the 4G router. Switch back once the fibre is stable.",[0,1,2]],
[2,"Shipment tracking","runbooks/tracking.html","Tier 0 · RTO 2 h — Start when tracking has been down for 15 minutes. Check the network first. Fail over the database. Point the web tier at the standby…",[0,1,2]],
[3,"Operations Lead","roles.html#role-ops-lead","Primary: Mira Oduya · Alternates: Rania Khan"],
[3,"Systems Lead","roles.html#role-systems-lead","Primary: Tomas Bell · Alternates: Rania Khan"],
[4,"Mira Oduya","people.html#person-mora","Head of Operations · Operations Lead · Dock Office"],
[4,"Rania Khan","people.html#person-rkhan","Finance Manager · Operations Lead (alternate) · Systems Lead (alternate)"],
[4,"Tomas Bell","people.html#person-tbell","Systems Lead · Mill Office"],
[5,"Dock Office","sites.html#site-dock-office","Office — Bristol, uk-south"],
[5,"Mill Office","sites.html#site-mill-office","Office — Manchester, uk-north"],
[6,"Linkway Telecom","vendors.html#vendor-linkway","Internet access"],
[7,"Glossary","pages/glossary.html","RTO: how long a function may be down."],
[7,"Staff handbook","pages/handbook.html","Where to go when the office is closed.",[3]]
],
"headings": [["Activation","activation"],["Recovery","recovery"],["Reconstitution","reconstitution"],["Staff handbook","staff-handbook"]],
"terms": ["0101","0102","0103","0555","1","113","15","161","20","44","496","4g","7700","7946","900101","a","access","activation","alarm","alert","alternate","ancoats","and","another","at","back","bad","be","been","bell","both","bristol","by","call","cannot","check","closed","contact","contacts","continuity","customers","cut","database","declare","directory","disruption","dock","down","during","emergency","enter","entered","example","facility","fail","failover","fibre","finance","fire","first","flood","for","from","function","glossary","go","hand","handbook","harbourside","has","head","home","hour","how","if","internet","invoices","invoicing","is","khan","lead","links","linkway","locations","long","loss","manager","manchester","manual","may","mill","minutes","mira","mora","network","noc","north","numbers","oduya","of","office","once","one","operations","ops","over","parties","people","phone","plan","point","power","quayside","quiet","rania","reconstitution","recovery","restore","rkhan","roles","router","rto","run","send","sent","shipment","sites","south","stable","staff","standby","start","succession","suppliers","switch","systems","tbell","telecom","template","the","third","tier","to","tomas","trackctl","tracking","uk","unavailable","vendors","web","when","where","work"],
"postings": ["j1","r1","n1","X2","X1","n1","X1","r1","j1L","j155D","n15","T","j1","j1L","j1","X15X1","Y2","Q66","L","X1","o1","z1","T","L","X1","T5","X1","L5j1","X1","f1F","T","w1","P","T","L5","X1","f2","3","3","7","Y1","L","X1","b1","3","b1","NPF","T5b1","X1","B","P","L","j155D","M","X1","X1","T","o1","L","X1","L","X1","L5","b2","d2","f2","P","h2","v1","X1","k1","7","X1","b2","L","Y2","P","R","L9j1","b15B","d17666","T","Td1","F","b2","N","o1","-1","P","b2","r1B","X1","b1B","l1","V5","X2","-1","3","b1B","NQ","NBH977D","T","L","d1A6","d1","X1","J","3","3","7","X1","L","j155","X1","b15B","Q66","Q665","f1","p1","B","T","b2","b1","P","P","Z1","F","w1","T","Lt1","X1","X1","B","J","T","h1A6","t1","Z2","P","N55555X1","J","X1","T5f1","f1F","X1","Z19","w16","L","J","X1","X1f1","f2","L"]
};
