"""Department-catalogue harvesters: readers per format and IHarvester classes."""
