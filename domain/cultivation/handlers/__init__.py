"""Handlers of the enterprise cultivation context (梯度培育): load, call the domain, commit."""
