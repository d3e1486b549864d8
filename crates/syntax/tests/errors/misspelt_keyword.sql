list accountprovider;
