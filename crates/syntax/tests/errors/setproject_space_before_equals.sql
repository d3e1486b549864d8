setproject odps.security.enabledownloadprivilege =true;
