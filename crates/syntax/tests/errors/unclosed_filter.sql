create row access policy p on sales to default
filter using (region = 'cn';
