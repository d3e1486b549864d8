-- Project properties, as odpscmd's setproject sets them
setproject odps.security.enabledownloadprivilege=true;
setproject odps.security.ip.whitelist=192.168.0.1,192.168.0.2 odps.instance.remain.days=30;
setproject odps.security.vpc.whitelist=<vpc1>[192.168.0.10,192.168.0.20],<vpc2>;
setproject odps.lifecycle.config={"TierToLowFrequency": {"DaysAfterLastModificationGreaterThan": "7"}};
setproject note="hello world" flag_only;
setproject;
