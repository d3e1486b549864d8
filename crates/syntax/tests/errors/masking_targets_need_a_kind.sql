create data masking policy m to analyst using MASKED_HASH;
