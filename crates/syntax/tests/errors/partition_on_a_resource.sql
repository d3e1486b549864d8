grant Read on resource udtf.jar partition(ds=1) to role analyst;
