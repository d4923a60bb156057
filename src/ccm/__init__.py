"""ccm-isu: administration of the Convention on Cluster Munitions."""
