list users !;
